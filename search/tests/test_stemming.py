"""Stemming and prefix matching, the same on the embedded default (SQLite, FTS5 with
the porter stemmer: search/backend.py) as on PostgreSQL (its full-text search).

search() matches word forms: "rivers" finds "river" and "train" finds "trains".
Suggestions as you type match the last word by prefix, unstemmed: "runnin" finds
"Running" (a stemmed prefix would not: "running" is indexed as "run")."""

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.search.backends import get_search_backend

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from cms.factories import UserFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return sorted(article.title for article in response.context["results"])


def suggested(client, typed: str) -> list[str]:
    data = client.get("/search/suggest/", {"q": typed}).json()
    return sorted(suggestion["title"] for suggestion in data["suggestions"])


def paragraph(text: str) -> list:
    return [("paragraph", f"<p>{text}</p>")]


@pytest.fixture
def articles(article_index):
    # Every text given: the factory's random sentences (and names: "Rivers" is a
    # surname) could hold any word.
    author = UserFactory(first_name="Ada", last_name="Lovelace", bio="Writes.")
    for title, intro, body in [
        (
            "Underground rivers",
            "Water finds its way under the limestone.",
            "Caves carry it for miles.",
        ),
        (
            "A walk by the river",
            "An afternoon on the towpath.",
            "The path follows the water all day.",
        ),
        (
            "Night trains return",
            "Sleeper services are back on the map.",
            "Couchettes, bunks and breakfast at dawn.",
        ),
        ("Running the last train", "A driver's final shift.", "Ten stops to go."),
        ("Pelican season", "Birds on the estuary.", "They arrive in May."),
    ]:
        ArticlePageFactory(
            parent=article_index,
            title=title,
            intro=intro,
            body=paragraph(body),
            author=author,
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("river", ["A walk by the river", "Underground rivers"]),
        ("rivers", ["A walk by the river", "Underground rivers"]),
        ("train", ["Night trains return", "Running the last train"]),
        ("trains", ["Night trains return", "Running the last train"]),
        ("runs", ["Running the last train"]),  # "running" and "runs" share "run"
        ("services", ["Night trains return"]),  # in the intro (body column)
        ("walks", ["A walk by the river"]),
        ("underground rivers", ["Underground rivers"]),  # every word must match
        ("pelicans", ["Pelican season"]),
    ],
)
def test_search_matches_word_forms(client, articles, query, expected):
    assert titles(client.get("/search/", {"q": query})) == expected


def test_stemming_does_not_match_unrelated_words(client, articles):
    assert titles(client.get("/search/", {"q": "rive"})) == []  # not a prefix search
    assert titles(client.get("/search/", {"q": "trainee"})) == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("rive", ["A walk by the river", "Underground rivers"]),
        ("runnin", ["Running the last train"]),
        ("night tra", ["Night trains return"]),
        ("pel", ["Pelican season"]),
    ],
)
def test_suggestions_match_the_last_word_by_prefix(client, articles, typed, expected):
    assert suggested(client, typed) == expected


def test_the_index_follows_edits_and_deletions(client, articles):
    river = ArticlePage.objects.get(title="Underground rivers")
    river.title = "Underground streams"
    river.save_revision().publish(skip_permission_checks=True)
    assert titles(client.get("/search/", {"q": "streams"})) == ["Underground streams"]
    assert titles(client.get("/search/", {"q": "rivers"})) == ["A walk by the river"]

    ArticlePage.objects.get(title="A walk by the river").delete()
    assert titles(client.get("/search/", {"q": "river"})) == []


def test_update_index_rebuilds_the_stemmed_index(client, articles):
    call_command("update_index", stdout=None)
    assert titles(client.get("/search/", {"q": "trains"})) == [
        "Night trains return",
        "Running the last train",
    ]
    assert suggested(client, "runnin") == ["Running the last train"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend")
def test_the_embedded_default_uses_the_stemming_backend():
    assert type(get_search_backend()).__name__ == "StemmingSQLiteSearchBackend"

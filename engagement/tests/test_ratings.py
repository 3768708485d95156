"""Ratings: one per reader per article, re-rating replaces, shown everywhere."""

import time

import pytest
from django.core import signing
from django.test import Client

from articles.factories import ArticlePageFactory
from engagement.models import Rating

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(parent=article_index, title="Rated piece", slug="rated")


BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}


def rate(client, article, score, **extra):
    return client.post(
        f"/reader/pages/{article.pk}/rating/", {"score": score}, **{**JSON, **extra}
    )


def view(client, article, **extra):
    """What reader.js does when the page loads: the view beacon."""
    return client.post(f"/reader/pages/{article.pk}/view/", **{**BROWSER, **extra})


def reader_of(article, **extra) -> Client:
    """A reader who has just viewed the article (and so holds a token)."""
    reader = Client()
    assert view(reader, article, **extra).status_code == 204
    return reader


@pytest.fixture
def client(article):  # every test's reader has viewed the article
    return reader_of(article)


def test_a_page_view_hands_out_the_reader_token(article):
    response = view(Client(), article)
    assert response.cookies["pw_reader"]["httponly"]
    assert response.cookies["pw_reader"]["samesite"] == "Lax"


def test_rating_is_stored_and_summarised(client, article):
    response = rate(client, article, 4)
    assert response.status_code == 200
    assert response.json() == {"score": 4, "average": 4.0, "count": 1}


def test_re_rating_replaces_the_readers_earlier_score(client, article):
    rate(client, article, 2)
    response = rate(client, article, 5)
    assert response.json() == {"score": 5, "average": 5.0, "count": 1}
    assert Rating.objects.get().score == 5


def test_each_reader_counts_once(article):
    first, second = reader_of(article), reader_of(article)
    rate(first, article, 2)
    rate(second, article, 5)
    rate(first, article, 3)
    assert rate(second, article, 4).json() == {"score": 4, "average": 3.5, "count": 2}


def test_a_rating_without_a_page_view_is_refused(article):
    """A script that only posts has no token: it can no longer rate as a new
    reader with every request."""
    responses = [rate(Client(), article, 5) for _ in range(3)]
    assert {r.status_code for r in responses} == {403}
    assert "read the page first" in responses[0].json()["error"]
    assert not Rating.objects.exists()


def test_a_forged_reader_cookie_is_refused(article):
    forger = Client()
    forger.cookies["pw_reader"] = "someone-else"
    assert rate(forger, article, 1).status_code == 403
    assert not Rating.objects.exists()


def test_a_token_whose_last_view_is_too_old_is_refused(article, monkeypatch):
    reader = Client()
    earlier = time.time() - 3 * 60 * 60  # RATING_TOKEN_MAX_AGE is two hours
    monkeypatch.setattr(signing.time, "time", lambda: earlier)
    view(reader, article)
    monkeypatch.undo()
    assert rate(reader, article, 4).status_code == 403
    view(reader, article)  # a new view renews it
    assert rate(reader, article, 4).status_code == 200


def test_an_address_gets_only_so_many_new_tokens(article, settings):
    settings.READER_TOKEN_RATE_LIMIT = "2/3600"
    readers = [Client() for _ in range(3)]
    for reader in readers:
        view(reader, article)
    assert [rate(reader, article, 5).status_code for reader in readers] == [
        200,
        200,
        403,
    ]
    elsewhere = reader_of(article, REMOTE_ADDR="10.9.0.1")
    assert rate(elsewhere, article, 5, REMOTE_ADDR="10.9.0.1").status_code == 200


@pytest.mark.parametrize("score", ["0", "6", "-1", "abc", "", "4.5", "\x00"])
def test_invalid_score_is_a_400(client, article, score):
    response = rate(client, article, score)
    assert response.status_code == 400
    assert "1 to 5" in response.json()["error"]
    assert not Rating.objects.exists()


def test_rating_flood_gets_429(client, article, settings):
    settings.RATING_RATE_LIMIT = "2/600"
    assert [rate(client, article, 3).status_code for _ in range(3)] == [200, 200, 429]


def test_one_token_is_limited_from_any_address(client, article, settings):
    settings.RATING_RATE_LIMIT = "2/600"
    statuses = [
        rate(client, article, 3, REMOTE_ADDR=f"10.8.0.{n}").status_code
        for n in range(1, 4)
    ]
    assert statuses == [200, 200, 429]


def test_without_javascript_rating_returns_to_the_respond_page(article):
    client = Client()
    respond = client.get(f"/reader/pages/{article.pk}/respond/")
    assert respond.cookies["pw_reader"]  # the respond page is a page view too
    response = client.post(f"/reader/pages/{article.pk}/rating/", {"score": 3})
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=rating")
    assert "Thank you for rating" in client.get(response["Location"]).content.decode()


def test_average_shows_on_the_article_and_on_listings(
    article, django_capture_on_commit_callbacks
):
    reader = Client()
    assert "Not rated yet" in reader.get(article.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        rate(reader_of(article), article, 5)
        rate(reader_of(article), article, 4)
    page = reader.get(article.url)
    assert page["X-Wagtail-Cache"] == "miss"  # the rating purged the cached page
    assert "★ 4.5 out of 5 from 2 ratings" in page.content.decode()
    assert "★ 4.5 (2)" in reader.get("/articles/").content.decode()
    assert "★ 4.5 (2)" in reader.get("/").content.decode()

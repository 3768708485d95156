"""The read API: /api/v2/articles/ (Wagtail API v2)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles import api_pagination
from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from articles.tests.query_counts import queries_for
from cms.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v2/articles/"


@pytest.fixture
def article(article_index):
    author = UserFactory(
        username="ada", first_name="Ada", last_name="Lovelace", email="ada@secret.test"
    )
    return ArticlePageFactory(
        parent=article_index,
        title="Engines",
        slug="engines",
        intro="How punched cards taught machines to weave.",
        author=author,
        tags=["computing", "history"],
    )


def test_listing_has_the_article_fields(client, article):
    data = client.get(API).json()
    assert data["meta"]["total_count"] == 1
    (item,) = data["items"]
    assert item["title"] == "Engines"
    assert item["meta"]["slug"] == "engines"
    assert item["meta"]["html_url"].endswith("/articles/engines/")
    assert item["intro"] == "How punched cards taught machines to weave."
    assert item["author"] == {"name": "Ada Lovelace", "username": "ada"}
    assert sorted(item["tags"]) == ["computing", "history"]
    assert item["published_at"].startswith(article.published_at.strftime("%Y-%m-%dT"))
    assert item["featured_image_thumbnail"]["width"] == 400
    assert "ada@secret.test" not in str(data)


def test_detail_has_body_and_image_renditions(client, article):
    data = client.get(f"{API}{article.pk}/").json()
    assert data["title"] == "Engines"
    assert [block["type"] for block in data["body"]][:2] == ["heading", "paragraph"]
    image = data["featured_image"]
    assert ".fill-1200x630" in image["url"] and image["url"].endswith(".jpg")
    assert data["updated_at"]


def test_only_published_public_articles(client, article, article_index):
    draft = ArticlePageFactory(parent=article_index, title="Draft")
    draft.unpublish()
    private = ArticlePageFactory(parent=article_index, title="Private")
    PageViewRestriction.objects.create(
        page=private, restriction_type="password", password="x"
    )
    titles = [item["title"] for item in client.get(API).json()["items"]]
    assert titles == ["Engines"]
    assert client.get(f"{API}{draft.pk}/").status_code == 404
    assert client.get(f"{API}{private.pk}/").status_code == 404
    assert client.get(f"{API}{article_index.pk}/").status_code == 404  # not an article


def test_paginated_newest_first(client, article_index):
    for n in range(5):
        ArticlePageFactory(parent=article_index, title=f"Story {n}")
    first = client.get(API, {"limit": 2}).json()
    assert first["meta"]["total_count"] == 5
    assert [i["title"] for i in first["items"]] == ["Story 0", "Story 1"]
    second = client.get(API, {"limit": 2, "offset": 2}).json()
    assert [i["title"] for i in second["items"]] == ["Story 2", "Story 3"]
    assert client.get(API, {"limit": 51}).status_code == 400
    assert client.get(API, {"offset": "abc"}).status_code == 400
    assert client.get(API, {"type": "wagtailcore.Page"}).status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(client, article, method):
    assert getattr(client, method)(f"{API}{article.pk}/").status_code == 405
    assert getattr(client, method)(API).status_code == 405


def test_cached_and_purged_when_an_article_changes(
    client, article, django_capture_on_commit_callbacks
):
    client.get(API)
    assert client.get(API)["X-Wagtail-Cache"] == "hit"
    client.get(f"{API}{article.pk}/")
    article.title = "Engines, revised"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    listing = client.get(API)
    assert listing["X-Wagtail-Cache"] == "miss"
    assert listing.json()["items"][0]["title"] == "Engines, revised"
    assert client.get(f"{API}{article.pk}/").json()["title"] == "Engines, revised"


def test_query_count_does_not_grow(client, article_index, settings):
    settings.WAGTAIL_CACHE = False

    for _ in range(3):
        ArticlePageFactory(parent=article_index, tags=["a"])
    few = queries_for(client, API, {"limit": 20})
    for _ in range(25):
        ArticlePageFactory(parent=article_index, tags=["a"])
    many = queries_for(client, API, {"limit": 20})
    print("API listing queries with 3 and 28 articles:", few, many)
    assert few == many <= 8


def test_ordering_with_ties_pages_through_every_article_exactly_once(
    client, article_index
):
    same_author = UserFactory(username="prolific")
    articles = [
        ArticlePageFactory(parent=article_index, author=same_author) for _ in range(12)
    ]
    seen = []
    for offset in (0, 5, 10):
        page = client.get(f"/api/v2/articles/?order=author&limit=5&offset={offset}")
        seen += [item["id"] for item in page.json()["items"]]
    assert sorted(seen) == sorted(article.pk for article in articles)


def test_ordering_by_tags_is_refused_not_repeated(client, article_index):
    ArticlePageFactory(parent=article_index, tags=["a", "b", "c"])
    response = client.get("/api/v2/articles/?order=tags")
    assert response.status_code == 400
    assert "several values" in response.json()["message"]


def test_plain_listing_pages_by_keyset_in_the_same_order_as_offset(
    client, article_index, monkeypatch, settings
):
    """?offset= on the plain listing reads from the nearest known start: every
    article once, in the order of the full listing, across step boundaries and
    ties in published_at."""
    settings.WAGTAIL_CACHE = False
    monkeypatch.setattr(api_pagination, "STEP", 4)
    moment = timezone.now() - timedelta(days=1)
    for n in range(11):  # pairs share a publication time
        ArticlePageFactory(
            parent=article_index, published_at=moment - timedelta(hours=n // 2)
        )
    expected = list(
        ArticlePage.objects.published().newest_first().values_list("pk", flat=True)
    )
    seen = []
    for offset in range(0, 12, 3):
        page = client.get(API, {"offset": offset, "limit": 3}).json()
        assert page["meta"]["total_count"] == 11
        seen += [item["id"] for item in page["items"]]
    assert seen == expected
    assert client.get(API, {"offset": 11}).json()["items"] == []
    assert client.get(API, {"offset": 9, "limit": 0}).json()["items"] == []


def test_deep_offset_neither_counts_nor_skips_the_archive(
    client, article_index, monkeypatch, settings
):

    settings.WAGTAIL_CACHE = False
    monkeypatch.setattr(api_pagination, "STEP", 5)
    for _ in range(23):
        ArticlePageFactory(parent=article_index)
    client.get(API, {"offset": 20})  # works out the starts and the count once
    with CaptureQueriesContext(connection) as queries:
        items = client.get(API, {"offset": 21, "limit": 5}).json()["items"]
    assert len(items) == 2
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "COUNT(" not in sql.upper()
    assert "OFFSET 21" not in sql.upper()


def test_new_article_moves_the_known_starts(
    client, article_index, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAIL_CACHE = False
    for _ in range(3):
        ArticlePageFactory(parent=article_index)
    assert client.get(API, {"offset": 2}).json()["meta"]["total_count"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        newest = ArticlePageFactory(
            parent=article_index, published_at=timezone.now() - timedelta(seconds=1)
        )
    data = client.get(API, {"offset": 0, "limit": 1}).json()
    assert data["meta"]["total_count"] == 4
    assert data["items"][0]["id"] == newest.pk


def test_filtered_listing_is_paged_as_wagtail_does(client, article_index):
    for n in range(3):
        ArticlePageFactory(parent=article_index, title=f"Story {n}")
    data = client.get(API, {"title": "Story 1", "offset": 0}).json()
    assert data["meta"]["total_count"] == 1
    assert client.get(API, {"title": "Story 1", "offset": "x"}).status_code == 400

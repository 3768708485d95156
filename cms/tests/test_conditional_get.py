"""Conditional GET: ETag and Last-Modified answered with 304, on cache misses and
hits, for pages, feeds, the sitemap and the API; a purge gives readers the new page.

Both backends: on PostgreSQL + Redis the page cache stores entries in Redis and
serves repeated hits from each worker's in-process copy; the ETag travels in the
stored entry either way."""

import time

import pytest
from django.utils.http import http_date

from articles.factories import ArticlePageFactory
from cms.page_cache import middleware as page_cache_middleware
from cms.page_cache.store import get_store

pytestmark = pytest.mark.django_db

HEADER = "X-Wagtail-Cache"
FAR_FUTURE = http_date(4_000_000_000)  # 2096


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(
        parent=article_index, title="Night trains return", tags=["rail"]
    )


def publish(article, capture, **changes):
    for name, value in changes.items():
        setattr(article, name, value)
    with capture(execute=True):  # the purge runs on commit
        article.save_revision().publish(skip_permission_checks=True)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "ARTICLE",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/api/v2/articles/",
    ],
)
def test_a_matching_etag_gets_a_304_from_a_cache_hit(client, article, url):
    url = article.url if url == "ARTICLE" else url
    first = client.get(url)
    assert first.status_code == 200
    assert first[HEADER] == "miss"
    etag = first["ETag"]

    again = client.get(url, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again[HEADER] == "hit"  # still says where it came from (request log)


def test_a_304_from_a_hit_renders_nothing(client, article, django_assert_num_queries):
    etag = client.get(article.url)["ETag"]
    client.get(article.url)  # on Redis: the worker's in-process copy from now on
    with django_assert_num_queries(0):
        response = client.get(article.url, headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_a_matching_etag_gets_a_304_on_a_miss_too(client, article):
    etag = client.get(article.url)["ETag"]
    get_store().clear()

    response = client.get(article.url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response[HEADER] == "miss"  # rendered (the same body), stored, not sent


def test_uncached_responses_get_an_etag_and_a_304(client, article):
    url = "/search/?q=trains"  # search results are never cached
    first = client.get(url)
    assert first[HEADER] == "skip"

    response = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 304


def test_an_etag_that_does_not_match_gets_the_page(client, article):
    client.get(article.url)
    response = client.get(article.url, headers={"If-None-Match": '"something-old"'})
    assert response.status_code == 200
    assert b"Night trains return" in response.content


def test_after_a_publish_the_old_etag_gets_the_new_page(
    client, article, django_capture_on_commit_callbacks
):
    urls = [article.url, "/", "/feeds/rss/", "/api/v2/articles/"]
    old = {url: client.get(url)["ETag"] for url in urls}
    assert all(client.get(url)[HEADER] == "hit" for url in urls)

    publish(article, django_capture_on_commit_callbacks, title="Sleeper trains return")

    for url in urls:
        response = client.get(url, headers={"If-None-Match": old[url]})
        assert response.status_code == 200, url
        assert b"Sleeper trains return" in response.content, url
        assert response["ETag"] != old[url], url
        # and the new ETag revalidates from the new cache entry
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert (again.status_code, again[HEADER]) == (304, "hit"), url


def test_head_carries_the_gets_etag_and_is_answered_304(client, article):
    etag = client.get(article.url)["ETag"]

    head = client.head(article.url)
    conditional_head = client.head(article.url, headers={"If-None-Match": etag})

    assert (head.status_code, head["ETag"], head[HEADER]) == (200, etag, "hit")
    assert conditional_head.status_code == 304


def test_if_modified_since_gets_a_304_until_the_page_changes(
    client, article, django_capture_on_commit_callbacks, monkeypatch
):
    first = client.get("/feeds/rss/")
    last_modified = first["Last-Modified"]  # when this copy was rendered

    # Feed readers that keep only the date send it back.
    cached = client.get("/feeds/rss/", headers={"If-Modified-Since": last_modified})
    assert (cached.status_code, cached[HEADER]) == (304, "hit")

    # The change is published, and the feed re-rendered, a minute later.
    monkeypatch.setattr(
        page_cache_middleware, "http_date", lambda: http_date(time.time() + 60)
    )
    publish(article, django_capture_on_commit_callbacks, title="Sleeper trains return")

    changed = client.get("/feeds/rss/", headers={"If-Modified-Since": last_modified})
    assert changed.status_code == 200
    assert b"Sleeper trains return" in changed.content


def test_feeds_are_not_dated_by_their_newest_entry(client, article, settings):
    """Django dates a feed by its newest entry: unpublishing that entry, or renaming
    an author, would leave the date unchanged and If-Modified-Since answered 304
    with a stale feed. Uncached, the feed carries no date at all."""
    settings.WAGTAIL_CACHE = False
    response = client.get("/feeds/rss/")
    assert "Last-Modified" not in response
    stale = client.get("/feeds/rss/", headers={"If-Modified-Since": FAR_FUTURE})
    assert stale.status_code == 200


def test_no_store_responses_get_no_etag(client):
    token = client.get("/csrf/")
    assert "no-store" in token["Cache-Control"]
    assert "ETag" not in token  # never kept by the browser: nothing to revalidate

"""Bounded negative caching: 404s are cached briefly and within a fixed budget.

Every junk path and junk `?page=` is a 404. Stored like pages (an hour each) they
filled Redis (noeviction) and, on the local-memory cache, pushed every real page
out. These run on both backends (the PostgreSQL + Redis segment sets REDIS_URL).
"""

import threading
import time

import pytest
from django.conf import settings
from django.test import override_settings

from cms.page_cache import store as store_module
from cms.page_cache.middleware import CachedResponse
from cms.page_cache.store import PAGE_PREFIX, RedisPageStore, get_store

pytestmark = pytest.mark.django_db

HEADER = "X-Wagtail-Cache"


def stored_entries(store) -> int:
    """Every stored response (pages and 404s) the backend holds."""
    if isinstance(store, RedisPageStore):
        return store.size()
    return len(store.cache._cache) + len(store.not_found)


@override_settings(PAGE_CACHE_NOT_FOUND_MAX=200)
def test_a_thousand_junk_urls_leave_real_pages_cached_within_the_budget(
    client, home_page, article_index
):
    real = ["/", "/articles/"]
    assert [client.get(url)[HEADER] for url in real] == ["miss", "miss"]

    for n in range(500):
        assert client.get(f"/no-such-page-{n}/").status_code == 404
        assert client.get(f"/articles/?page={n + 2}").status_code == 404

    assert [client.get(url)[HEADER] for url in real] == ["hit", "hit"]
    store = get_store()
    assert store.not_found_count() == 200
    # The budget bounds what the backend holds, not only what we count.
    # + tag sets, the generation, tag versions and derived values: a few dozen
    assert stored_entries(store) <= 200 + len(real) + 30
    # The latest 404s are the ones kept.
    assert client.get("/no-such-page-499/")[HEADER] == "hit"
    assert client.get("/no-such-page-0/")[HEADER] == "miss"


def test_a_404_is_cached_at_most_a_minute():
    assert 0 < settings.PAGE_CACHE_NOT_FOUND_TIMEOUT <= 60


@override_settings(PAGE_CACHE_NOT_FOUND_TIMEOUT=5)
def test_a_cached_404_expires_after_its_timeout(client, home_page, monkeypatch):
    store = get_store()
    if isinstance(store, RedisPageStore):
        pytest.skip("Redis keeps time itself: see the requires_redis test below")
    clock = [1000.0]
    monkeypatch.setattr(store_module, "now", lambda: clock[0])
    assert client.get("/gone/")[HEADER] == "miss"
    clock[0] += 4.9
    assert client.get("/gone/")[HEADER] == "hit"

    clock[0] += 0.2

    assert client.get("/gone/")[HEADER] == "miss"


@pytest.mark.requires_redis
@override_settings(PAGE_CACHE_NOT_FOUND_TIMEOUT=1)
def test_on_redis_a_cached_404_expires_after_its_timeout(client, home_page):
    store = get_store()
    assert client.get("/gone/")[HEADER] == "miss"
    (page_key,) = store.redis.zrange("pc:404", 0, -1)
    assert 0 < store.redis.pttl(page_key) <= 1000
    assert client.get("/gone/")[HEADER] == "hit"

    deadline = time.monotonic() + 3
    while client.get("/gone/")[HEADER] == "hit":
        assert time.monotonic() < deadline, "the 404 outlived its timeout"
        time.sleep(0.1)


@override_settings(PAGE_CACHE_NOT_FOUND_MAX=0)
def test_a_budget_of_zero_stores_no_404(client, home_page):
    assert client.get("/gone/")[HEADER] == "skip"
    assert client.get("/gone/")[HEADER] == "skip"
    assert client.get("/")[HEADER] == "miss"


@override_settings(PAGE_CACHE_NOT_FOUND_MAX=3)
def test_a_404_that_becomes_a_page_is_purged_even_at_the_budget(
    client, home_page, django_capture_on_commit_callbacks
):
    from wagtail.models import Page

    assert client.get("/fresh/").status_code == 404
    for n in range(2):
        client.get(f"/junk-{n}/")
    assert client.get("/fresh/")[HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        page = home_page.add_child(
            instance=Page(title="Fresh", slug="fresh", live=False)
        )
        page.save_revision().publish(skip_permission_checks=True)

    assert client.get("/fresh/").status_code == 200
    assert get_store().not_found_count() == 2


def not_found_entry() -> CachedResponse:
    return CachedResponse(status=404, headers=[], body=b"x" * 5600)


@pytest.mark.requires_redis
def test_on_redis_the_budget_holds_across_workers_storing_at_once(home_page):
    """Eight workers (stores with their own connections) store 404s at once: the
    budget is checked and updated atomically, so it is never exceeded."""
    workers = [RedisPageStore(settings.WAGTAIL_CACHE_BACKEND) for _ in range(8)]
    start = threading.Barrier(len(workers))

    def flood(worker_number: int, store) -> None:
        start.wait()
        for n in range(100):
            store.put_not_found(
                f"w{worker_number}-{n}", not_found_entry(), 30, set(), 50
            )

    threads = [
        threading.Thread(target=flood, args=(number, store))
        for number, store in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in workers:
        store.close()

    store = get_store()
    assert store.not_found_count() == 50
    assert sum(1 for _ in store.redis.scan_iter(match=PAGE_PREFIX + "w*")) == 50


@pytest.mark.requires_redis
def test_on_redis_a_404_never_shortens_a_tag_set_that_lists_pages(client, home_page):
    client.get("/")  # the home page carries page:<id>, stored for an hour
    store = get_store()
    tag_key = f"pc:tag:page:{home_page.pk}"
    store.put_not_found("junk", not_found_entry(), 30, {f"page:{home_page.pk}"}, 10)

    assert store.redis.ttl(tag_key) > 30

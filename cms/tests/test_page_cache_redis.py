"""Behaviour that exists only on Redis: several workers sharing one page cache.

These run in the PostgreSQL + Redis segment of .ci/run (REDIS_URL set); the
embedded default has one process and no Redis, so there is nothing to share.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from cms.page_cache.store import RedisPageStore, get_store

pytestmark = [pytest.mark.django_db, pytest.mark.requires_redis]
PROJECT = Path(__file__).resolve().parents[2]


def wait_for(condition, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_pages_and_tags_live_in_redis_with_bounded_lifetimes(client, home_page):
    store = get_store()
    assert isinstance(store, RedisPageStore)
    client.get("/")
    tag_key = f"pc:tag:page:{home_page.pk}"
    members = store.redis.smembers(tag_key)
    assert len(members) == 1
    (page_key,) = members
    assert 0 < store.redis.ttl(page_key) <= settings.PAGE_CACHE_TIMEOUT
    assert 0 < store.redis.ttl(tag_key) <= settings.PAGE_CACHE_TIMEOUT


def test_a_purge_in_another_process_reaches_this_workers_local_copy(client, home_page):
    store = get_store()
    assert wait_for(lambda: (client.get("/"), store.local.listening)[1])
    client.get("/")
    assert client.get("/")["X-Wagtail-Cache"] == "hit"
    assert store.local.entries, "the hit should have left a local copy"

    # Another worker purges the home page.
    code = (
        "import django; django.setup();"
        "from cms.page_cache.store import get_store;"
        f"print(get_store().purge({{'page:{home_page.pk}'}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        timeout=60,
    )
    assert result.stdout.strip().endswith("1"), result.stderr

    assert wait_for(lambda: not store.local.entries), "local copy survived the purge"
    assert client.get("/")["X-Wagtail-Cache"] == "miss"


def test_the_generation_never_comes_back_when_redis_loses_it():
    """Derived values are kept in process memory by generation (derived.py): a
    Redis that lost its data must not start counting again from a value some
    process has already seen."""
    from cms.page_cache.store import GENERATION_KEY

    store = get_store()
    store.purge({"test:tag"})
    before = store.generation()
    store.redis.delete(GENERATION_KEY)  # as after a restart without persistence
    assert store.generation() > before
    store.redis.delete(GENERATION_KEY)
    store.purge({"test:tag"})  # a purge finds it missing too
    assert store.generation() > before + 1

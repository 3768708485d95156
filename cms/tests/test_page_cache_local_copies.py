"""Each worker's in-memory copies of hot pages when Redis goes away, and after a fork.

What local_copies.py promises: while a worker is not sure it hears every purge
(before subscribing, after losing Redis) it keeps no copies and reads Redis; once
subscribed again, a purge by any worker drops the copies. A forked process starts
its own listener and never serves the copies it inherited.

Each test runs against a private redis-server that it can stop: the shared Redis
must never be stopped.
"""

import os
import shutil
import threading

import pytest

from cms.page_cache.store import RedisPageStore, get_store
from cms.page_cache.tags import page_tag
from cms.tests.private_servers import wait_for

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="needs redis-server installed"
    ),
]


@pytest.fixture
def redis_server(settings, private_redis_cache):
    # No breaker pause: the test decides when Redis is back, and the first
    # request after that must use it (the pause has its own tests).
    settings.PAGE_CACHE_OUTAGE_PAUSE = 0
    return private_redis_cache


@pytest.fixture
def store(redis_server) -> RedisPageStore:
    store = get_store()
    assert isinstance(store, RedisPageStore)
    return store


def listening(store) -> bool:
    store.local._ensure_listener()  # a request would start it; the test may be first
    return store.local.listening


def serve_a_local_copy(client, store) -> None:
    """Get the home page cached and copied into this process's memory."""
    assert wait_for(lambda: listening(store), seconds=5), "listener never subscribed"
    client.get("/")  # miss: stored in Redis
    client.get("/")  # hit from Redis: copied locally
    assert store.local.entries, "the hit should have left a local copy"


def change_strapline_without_purging(home_page, text: str) -> None:
    # A queryset update sends no signals: only the purge below can make readers
    # see it, so a stale copy would be visible.
    type(home_page).objects.filter(pk=home_page.pk).update(strapline=text)


def purge_from_another_worker(home_page) -> int:
    """What another worker's purge does: its own store, its own copies; this
    process hears of it only through the pub/sub channel."""
    other_worker = RedisPageStore("default")
    try:
        return other_worker.purge({page_tag(home_page.pk)})
    finally:
        other_worker.close()


def test_redis_stopping_drops_the_copies_and_pages_are_still_served(
    client, home_page, store, redis_server
):
    serve_a_local_copy(client, store)

    redis_server.stop()

    # The listener notices at once (its connection closes) and drops every copy:
    # it can no longer hear purges.
    assert wait_for(lambda: not store.local.listening, seconds=5)
    assert not store.local.entries
    responses = [client.get("/") for _ in range(3)]
    assert [r.status_code for r in responses] == [200] * 3
    assert {r["X-Wagtail-Cache"] for r in responses} == {"err"}
    assert home_page.strapline in responses[-1].content.decode()


def test_after_redis_returns_a_purge_reaches_the_copies_again(
    client, home_page, store, redis_server
):
    serve_a_local_copy(client, store)
    redis_server.stop()
    assert wait_for(lambda: not store.local.listening, seconds=5)

    redis_server.start()  # same port, empty, as after a restart without persistence
    assert wait_for(lambda: listening(store), seconds=10), "listener never came back"
    serve_a_local_copy(client, store)

    change_strapline_without_purging(home_page, "Fresh after the outage")
    assert "Fresh after the outage" not in client.get("/").content.decode()  # cached
    assert purge_from_another_worker(home_page) == 1

    # Within moments every reader of this worker gets the new page, not its copy.
    assert wait_for(
        lambda: "Fresh after the outage" in client.get("/").content.decode(),
        seconds=3,
    ), "this worker kept serving its stale copy after the purge"


def test_a_forked_worker_has_its_own_listener_and_no_inherited_copies(
    client, home_page, store
):
    serve_a_local_copy(client, store)
    parent_listener_pid = store.local.pid
    read_end, write_end = os.pipe()

    child = os.fork()
    if child == 0:  # the child: report through the pipe, never return to pytest
        code = 1
        try:
            os.close(read_end)
            outcome = []
            local = store.local
            # Its first read must not come from the parent's copies...
            outcome.append(local.get(next(iter(local.entries))) is None)
            # ...it starts a listener of its own, which subscribes...
            outcome.append(local.pid == os.getpid() != parent_listener_pid)
            outcome.append(wait_for(lambda: local.listening, seconds=5))
            # ...and hears purges: a copy it makes is dropped by one.
            local.put("child-key", "copy", local.current_version())
            outcome.append("child-key" in local.entries)
            store.redis.publish("pc:purged", "child-key")
            outcome.append(wait_for(lambda: "child-key" not in local.entries, 3))
            os.write(write_end, "".join("1" if ok else "0" for ok in outcome).encode())
            code = 0
        finally:
            os._exit(code)

    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        report = pipe.read()
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # Inherited copy unused, own listener, subscribed, copies kept, purge heard.
    assert report == "11111"
    # The parent's listener is untouched by the child's.
    assert store.local.pid == os.getpid() and store.local.listening
    assert client.get("/")["X-Wagtail-Cache"] == "hit"


def test_replacing_the_store_stops_its_listener(store, settings):
    assert wait_for(lambda: listening(store), seconds=5)
    listeners = [t for t in threading.enumerate() if t.name == "page-cache-purges"]

    # A settings change rebuilds the store (tests do this all the time); the old
    # store's listener must not run on against the old Redis.
    settings.PAGE_CACHE_OUTAGE_PAUSE = 1

    assert get_store() is not store
    assert wait_for(lambda: not any(t.is_alive() for t in listeners), seconds=5)

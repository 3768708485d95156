"""Derived values (cms/page_cache/derived.py) read the purge generation once per
request, and expire with the next purge."""

from unittest import mock

import pytest
from django.core.cache import cache

from articles.factories import ArticlePageFactory
from cms.page_cache import derived
from cms.page_cache.purge import cache_generation, purge_tags

pytestmark = pytest.mark.django_db


def test_a_page_reads_the_generation_once(client, article_index, settings):
    settings.WAGTAIL_CACHE = False  # render every time, as for a logged-in reader
    subject = ArticlePageFactory(parent=article_index, tags=["rail"])
    ArticlePageFactory(parent=article_index, tags=["rail"])
    client.get(subject.url)  # warm: the lists and fragments are cached

    with mock.patch.object(derived, "cache_generation", wraps=cache_generation) as read:
        response = client.get(subject.url)
    assert response.status_code == 200
    # Related ids, neighbours, most read, cards and links: one read for all.
    assert read.call_count == 1


def test_outside_a_request_each_value_reads_it_afresh():
    built = []
    derived.cached_ids("test:list", lambda: built.append(1) or [1])
    purge_tags({"some:tag"})
    derived.cached_ids("test:list", lambda: built.append(2) or [2])
    assert built == [1, 2]


def test_fragments_expire_with_a_purge_and_build_only_what_is_missing():
    built = []

    def build(keys):
        built.append(sorted(keys))
        return {key: f"<p>{key}</p>" for key in keys}

    assert derived.cached_fragments({1: "one", 2: "two"}, build) == {
        1: "<p>1</p>",
        2: "<p>2</p>",
    }
    derived.cached_fragments({1: "one", 2: "two", 3: "three"}, build)
    assert built == [[1, 2], [3]]

    purge_tags({"some:tag"})
    derived.cached_fragments({1: "one"}, build)
    assert built[-1] == [1]


def test_without_the_cache_fragments_are_built_every_time():
    with mock.patch.object(derived, "cache_generation", return_value=-1):
        built = derived.cached_fragments({1: "one"}, lambda keys: {1: "x"})
    assert built == {1: "x"}
    assert not any(key.startswith(":1:derived") for key in getattr(cache, "_cache", {}))


def test_without_redis_the_generation_follows_other_processes_purges():
    """The embedded default keeps pages per process; a purge made by the scheduler
    reaches a web process through the shared log. A render that never looks a
    page up (a logged-in reader's) still sees it, through the generation."""
    from cms.page_cache.purge_log import PurgeLog, PurgeLogEntry
    from cms.page_cache.store import LocalPageStore

    store = LocalPageStore("default", PurgeLog(interval=0))
    before = store.generation()  # first look: earlier entries don't matter
    PurgeLogEntry.objects.create(tags=["page:1"])  # another process's purge
    assert store.generation() == before + 1
    store.purge({"page:2"})  # its own purge: bumped once, not again on read
    assert store.generation() == before + 2


def test_a_process_reads_a_derived_value_from_the_cache_once_per_generation():
    built = []
    derived.cached_value("test:value", lambda: built.append(1) or [1, 2])
    with mock.patch.object(derived.cache, "get", wraps=derived.cache.get) as read:
        first = derived.cached_value("test:value", lambda: built.append(2) or [9])
        first.append(3)  # the caller's own copy
        again = derived.cached_value("test:value", lambda: built.append(3) or [9])
    # Only the generation was read (outside a request, once per value): the
    # value came from this process's copies.
    assert not [call for call in read.call_args_list if "derived:" in str(call)]
    assert built == [1]
    assert again == [1, 2]

    purge_tags({"some:tag"})
    assert derived.cached_value("test:value", lambda: [4]) == [4]


def test_the_generation_never_comes_back_after_the_cache_is_cleared():
    from cms.page_cache.store import get_store

    store = get_store()
    purge_tags({"some:tag"})
    before = store.generation()
    cache.clear()  # or the local cache culled the key
    assert store.generation() > before

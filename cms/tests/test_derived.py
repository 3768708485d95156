"""Derived values (cms/page_cache/derived.py) read the purge generation and the
tag versions once per request; those naming their dependencies expire with a purge
of them, the others with any purge."""

from unittest import mock

import pytest
from django.core.cache import cache

from articles.factories import ArticlePageFactory
from cms.page_cache import derived
from cms.page_cache.purge import cache_generation, purge_tags, tag_versions

pytestmark = pytest.mark.django_db


def test_a_page_reads_the_generation_once(client, article_index, settings):
    settings.WAGTAIL_CACHE = False  # render every time, as for a logged-in reader
    subject = ArticlePageFactory(parent=article_index, tags=["rail"])
    ArticlePageFactory(parent=article_index, tags=["rail"])
    client.get(subject.url)  # warm: the lists and fragments are cached

    with (
        mock.patch.object(derived, "cache_generation", wraps=cache_generation) as read,
        mock.patch.object(derived, "tag_versions", wraps=tag_versions) as versions,
    ):
        response = client.get(subject.url)
    assert response.status_code == 200
    # Pictures: one read for all. Neighbours, most read, cards, links and the
    # comment and rating sections: each tag's version is read once, in a few
    # round trips (a list's ids decide which cards it needs).
    assert read.call_count == 1
    tags_read = [tag for call in versions.call_args_list for tag in call.args[0]]
    assert len(tags_read) == len(set(tags_read))
    assert versions.call_count <= 4


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

    def depends_on(key):
        return [f"thing:{key}"]

    assert derived.cached_fragments({1: "one", 2: "two"}, build, depends_on) == {
        1: "<p>1</p>",
        2: "<p>2</p>",
    }
    derived.cached_fragments({1: "one", 2: "two", 3: "three"}, build, depends_on)
    assert built == [[1, 2], [3]]

    purge_tags({"some:tag"})  # nothing they depend on
    derived.cached_fragments({1: "one", 2: "two"}, build, depends_on)
    assert built == [[1, 2], [3]]

    purge_tags({"thing:1"})
    derived.cached_fragments({1: "one", 2: "two"}, build, depends_on)
    assert built[-1] == [1]


def test_a_value_with_dependencies_outlives_other_purges_but_not_theirs():
    built = []

    def build():
        built.append(1)
        return [len(built)]

    def value():
        return derived.cached_ids("test:deps", build, depends_on=["a", "b"])

    assert value() == [1]
    purge_tags({"c", "page:9"})
    assert value() == [1]
    purge_tags({"b"})
    assert value() == [2]
    purge_tags({"a"})
    assert value() == [3]


def test_clearing_the_page_cache_retires_values_with_dependencies():
    from cms.page_cache.purge import clear_page_cache

    built = []
    derived.cached_ids("test:clear", lambda: built.append(1) or [1], ["a"])
    clear_page_cache()
    derived.cached_ids("test:clear", lambda: built.append(2) or [2], ["a"])
    assert built == [1, 2]


def test_a_purge_in_another_process_retires_dependent_values_here():
    """Without Redis each process keeps its own versions; a purge the scheduler
    makes reaches a web process through the shared log."""
    from cms.page_cache.purge_log import PurgeLog, PurgeLogEntry
    from cms.page_cache.store import LocalPageStore

    store = LocalPageStore("default", PurgeLog(interval=0))
    before = store.versions(["page:1", "page:2"])
    PurgeLogEntry.objects.create(tags=["page:1"])  # another process's purge
    after = store.versions(["page:1", "page:2"])
    assert after[0] > before[0]
    assert after[1] == before[1]


def test_without_the_cache_fragments_are_built_every_time():
    with mock.patch.object(derived, "tag_versions", return_value=None):
        built = derived.cached_fragments(
            {1: "one"}, lambda keys: {1: "x"}, lambda key: ["thing"]
        )
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

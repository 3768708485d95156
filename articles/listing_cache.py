"""Low-level caching of article lists, expiring with the page cache.

Cached lists are keyed by the page cache's purge generation, which every content
change bumps when its purge runs after commit (cms.page_cache). So no list outlives
the change that made it stale, and old keys simply expire.
"""

from collections.abc import Callable

from django.core.cache import cache

from cms.page_cache.purge import cache_generation

LIST_TIMEOUT = 60 * 30


def listing_version() -> int:
    return cache_generation()


def cached_ids(name: str, build: Callable[[], list[int]]) -> list[int]:
    """The list of article ids called `name`, from the cache or freshly built."""
    version = listing_version()
    if version < 0:  # the cache is unreachable: just build
        return list(build())
    key = f"articles:list:{name}:g{version}"
    ids = cache.get(key)
    if ids is None:
        ids = list(build())
        cache.set(key, ids, LIST_TIMEOUT)
    return ids

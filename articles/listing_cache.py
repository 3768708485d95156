"""Low-level caching of article lists, invalidated by one version number.

Every cached list's key carries the current version; the publishing receivers bump
it whenever an article is published, unpublished, moved, renamed or deleted, so no
list outlives the change that made it stale. Old keys simply expire.
"""

from collections.abc import Callable

from django.core.cache import cache

VERSION_KEY = "articles:listings:version"
LIST_TIMEOUT = 60 * 30


def listing_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def invalidate_article_listings() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the cache was flushed): start one
        cache.set(VERSION_KEY, 2, timeout=None)


def cached_ids(name: str, build: Callable[[], list[int]]) -> list[int]:
    """The list of article ids called `name`, from the cache or freshly built."""
    key = f"articles:list:{name}:v{listing_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = list(build())
        cache.set(key, ids, LIST_TIMEOUT)
    return ids

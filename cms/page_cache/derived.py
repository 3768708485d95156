"""Values derived from content (lists of ids, suggestions, HTML fragments every page
of a kind shares), cached until the next content change.

Keys carry the page cache's purge generation, which every content change bumps
when its purge runs after commit. So no derived value outlives the change that
made it stale, and old keys simply expire.
"""

from collections.abc import Callable

from django.core.cache import cache

from .purge import cache_generation

LIST_TIMEOUT = 60 * 30


def generation_key(name: str) -> str | None:
    """A cache key for `name` valid until the next content change; None while the
    cache is unreachable (callers then compute without caching)."""
    generation = cache_generation()
    if generation < 0:
        return None
    return f"derived:{name}:g{generation}"


def cached_ids(name: str, build: Callable[[], list[int]]) -> list[int]:
    """The list of ids called `name`, from the cache or freshly built."""
    key = generation_key(name)
    if key is None:
        return list(build())
    ids = cache.get(key)
    if ids is None:
        ids = list(build())
        cache.set(key, ids, LIST_TIMEOUT)
    return ids


def cached_fragment(name: str, build: Callable[[], str]) -> str:
    """The HTML fragment called `name`, from the cache or freshly rendered: for
    parts many pages show alike (the most-read list), rendered once per change
    rather than once per page."""
    key = generation_key(f"fragment:{name}")
    if key is None:
        return build()
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, LIST_TIMEOUT)
    return html

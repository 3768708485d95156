"""Values derived from content (lists of ids, suggestions, HTML fragments every page
of a kind shares), cached until the next content change.

Keys carry the page cache's purge generation, which every content change bumps
when its purge runs after commit. So no derived value outlives the change that
made it stale, and old keys simply expire.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

from .purge import cache_generation

LIST_TIMEOUT = 60 * 30

# The generation one request renders with (see one_generation): a list holding
# it once read, or None outside a request.
_request_generation: ContextVar[list[int] | None] = ContextVar(
    "page_cache_request_generation", default=None
)


@contextmanager
def one_generation() -> Iterator[None]:
    """Within, every derived value reads the purge generation once, on first use:
    a page shows values of one generation, and does not ask the cache for it a
    dozen times. Values built while a purge runs are kept under the generation
    they were read from, which the purge has just retired."""
    token = _request_generation.set([])
    try:
        yield
    finally:
        _request_generation.reset(token)


def current_generation() -> int:
    """The request's generation (read on first use) or, outside a request, the
    cache's; -1 while the cache is unreachable."""
    held = _request_generation.get()
    if held is None:
        return cache_generation()
    if not held:
        held.append(cache_generation())
    return held[0]


def generation_key(name: str, generation: int | None = None) -> str | None:
    """A cache key for `name` valid until the next content change (or for the
    `generation` the caller read); None while the cache is unreachable (callers
    then compute without caching)."""
    if generation is None:
        generation = current_generation()
    if generation < 0:
        return None
    return f"derived:{name}:g{generation}"


def cached_value(name: str, build: Callable[[], object]) -> object:
    """The value called `name` (anything picklable but None), from the cache or
    freshly built."""
    key = generation_key(name)
    if key is None:
        return build()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, LIST_TIMEOUT)
    return value


def cached_ids(name: str, build: Callable[[], list[int]]) -> list[int]:
    """The list of ids called `name`, from the cache or freshly built."""
    return cached_value(name, lambda: list(build()))


def cached_fragment(name: str, build: Callable[[], str]) -> str:
    """The HTML fragment called `name`, from the cache or freshly rendered: for
    parts many pages show alike (the most-read list), rendered once per change
    rather than once per page."""
    return cached_value(f"fragment:{name}", build)


def cached_fragments(names: dict, build_missing: Callable[[list], dict]) -> dict:
    """HTML fragments for each key of `names` (key -> fragment name), in one cache
    round trip: `build_missing(keys)` renders those not cached, returning key ->
    HTML, and they are stored for the next page. For fragments many pages show in
    different sets (an article's card, on listings and in related lists)."""
    generation = current_generation()
    if generation < 0:
        return build_missing(list(names))
    keys = {
        key: generation_key(f"fragment:{name}", generation)
        for key, name in names.items()
    }
    cached = cache.get_many(list(keys.values()))
    found = {
        key: cached[cache_key] for key, cache_key in keys.items() if cache_key in cached
    }
    missing = [key for key in names if key not in found]
    if missing:
        built = build_missing(missing)
        cache.set_many({keys[key]: html for key, html in built.items()}, LIST_TIMEOUT)
        found.update(built)
    return found

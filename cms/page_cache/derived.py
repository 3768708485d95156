"""Values derived from content (lists of ids, suggestions, HTML fragments every page
of a kind shares), cached until the content they show changes.

A value names what it depends on (`depends_on`: page-cache tags, the ones the pages
showing it carry) and its key carries those tags' versions, which every purge of
them bumps after commit: it is retired by the purges that concern it and survives
the rest, so an edit of one article leaves every other article's lists warm. A value
that names nothing keys on the purge generation, which every purge bumps. Either
way no derived value outlives the change that made it stale, and old keys simply
expire.
"""

import copy
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

from .purge import cache_generation, tag_versions
from .store import EVERYTHING

LIST_TIMEOUT = 60 * 30
# Derived values kept in each process's memory (ProcessCopies): a few thousand
# fragments and lists, some megabytes at most.
PROCESS_COPIES = 4000

# The generation one request renders with (see one_generation): a list holding
# it once read, or None outside a request.
_request_generation: ContextVar[list[int] | None] = ContextVar(
    "page_cache_request_generation", default=None
)
# The tag versions one request has read (tag -> version), or None outside one.
_request_versions: ContextVar[dict[str, int] | None] = ContextVar(
    "page_cache_request_versions", default=None
)


@contextmanager
def one_generation() -> Iterator[None]:
    """Within, every derived value reads the purge generation, and each tag's
    version, once, on first use: a page shows values of one moment, and does not
    ask the cache for them a dozen times. Values built while a purge runs are kept
    under the generation or versions they were read from, which the purge has
    just retired."""
    token = _request_generation.set([])
    versions_token = _request_versions.set({})
    try:
        yield
    finally:
        _request_generation.reset(token)
        _request_versions.reset(versions_token)


def _versions(tags: list[str]) -> list[int] | None:
    """The versions of `tags` and of EVERYTHING, read once per request; None while
    the cache is unreachable."""
    held = _request_versions.get()
    wanted = [*tags, EVERYTHING]
    if held is None:
        return tag_versions(wanted)
    unread = [tag for tag in wanted if tag not in held]
    if unread:
        read = tag_versions(unread)
        if read is None:
            return None
        held.update(zip(unread, read, strict=True))
    return [held[tag] for tag in wanted]


def current_generation() -> int:
    """The request's generation (read on first use) or, outside a request, the
    cache's; -1 while the cache is unreachable."""
    held = _request_generation.get()
    if held is None:
        return cache_generation()
    if not held:
        held.append(cache_generation())
    return held[0]


def dependency_key(name: str, depends_on: Iterable[str]) -> str | None:
    """A cache key for `name` valid until the next purge of any of the tags
    `depends_on`; None while the cache is unreachable."""
    tags = sorted(set(depends_on))
    versions = _versions(tags)
    if versions is None:
        return None
    stamp = ".".join(map(str, versions))
    if len(stamp) > 200:  # many dependencies: keep the key short
        stamp = hashlib.sha256(f"{tags}{stamp}".encode()).hexdigest()
    return f"derived:{name}:v{stamp}"


def generation_key(name: str, generation: int | None = None) -> str | None:
    """A cache key for `name` valid until the next content change (or for the
    `generation` the caller read); None while the cache is unreachable (callers
    then compute without caching)."""
    if generation is None:
        generation = current_generation()
    if generation < 0:
        return None
    return f"derived:{name}:g{generation}"


class ProcessCopies:
    """The derived values this process read lately, by key. A key carries its
    generation, and a generation never comes back (store.generation_base), so a
    copy can never be stale: a purge moves every reader to new keys. Spares a
    render its cache round trips (about ten for an article, Redis in
    production); bounded, least recently used first out."""

    def __init__(self, size: int):
        self.size = size
        self.values: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def put(self, key: str, value) -> None:
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)


process_copies = ProcessCopies(PROCESS_COPIES)


def _shared(value):
    # Callers get their own list or dict: a copy kept for every request must
    # not change under one of them.
    return copy.copy(value) if isinstance(value, list | dict) else value


def cached_value(
    name: str,
    build: Callable[[], object],
    depends_on: Iterable[str] | None = None,
) -> object:
    """The value called `name` (anything picklable but None): from this
    process's copies, the cache, or freshly built. Kept until a purge of a tag it
    `depends_on`, or of anything when it names none."""
    key = (
        generation_key(name) if depends_on is None else dependency_key(name, depends_on)
    )
    if key is None:
        return build()
    value = process_copies.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, LIST_TIMEOUT)
        process_copies.put(key, value)
    return _shared(value)


def cached_ids(
    name: str,
    build: Callable[[], list[int]],
    depends_on: Iterable[str] | None = None,
) -> list[int]:
    """The list of ids called `name`, from the cache or freshly built."""
    return cached_value(name, lambda: list(build()), depends_on)


def cached_fragment(
    name: str, build: Callable[[], str], depends_on: Iterable[str] | None = None
) -> str:
    """The HTML fragment called `name`, from the cache or freshly rendered: for
    parts many pages show alike (the most-read list), rendered once per change
    rather than once per page."""
    return cached_value(f"fragment:{name}", build, depends_on)


def cached_fragments(
    names: dict,
    build_missing: Callable[[list], dict],
    depends_on: Callable[[object], list[str]],
) -> dict:
    """HTML fragments for each key of `names` (key -> fragment name), in one cache
    round trip: `build_missing(keys)` renders those not cached, returning key ->
    HTML, and they are stored for the next page. For fragments many pages show in
    different sets (an article's card, on listings and in related lists); each
    kept until a purge of a tag `depends_on(key)` returns."""
    # Every fragment's versions in one read, before the keys are built.
    if _versions(sorted({tag for key in names for tag in depends_on(key)})) is None:
        return build_missing(list(names))
    keys = {
        key: dependency_key(f"fragment:{name}", depends_on(key))
        for key, name in names.items()
    }
    found = {}
    for key, cache_key in keys.items():
        html = process_copies.get(cache_key)
        if html is not None:
            found[key] = html
    unread = [cache_key for key, cache_key in keys.items() if key not in found]
    cached = cache.get_many(unread) if unread else {}
    for key, cache_key in keys.items():
        if cache_key in cached:
            found[key] = cached[cache_key]
            process_copies.put(cache_key, cached[cache_key])
    missing = [key for key in names if key not in found]
    if missing:
        built = build_missing(missing)
        cache.set_many({keys[key]: html for key, html in built.items()}, LIST_TIMEOUT)
        for key, html in built.items():
            process_copies.put(keys[key], html)
        found.update(built)
    return found

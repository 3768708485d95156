"""Where cached pages and their tags live: Redis in production, the local cache
otherwise.

Redis layout (raw keys on the cache's own connection, never FLUSHDB):
    pc:page:<key>   the stored response: pickle of (status, headers, body, gzipped
                    body), the ETag and Last-Modified among its headers
    pc:tag:<tag>    a set of page keys carrying the tag; it expires with its pages,
                    so the registry holds at most what is cached (bounded)
    pc:gen          purge generation: bumped by every purge. A page rendered while a
                    purge ran is not stored (its content may predate the purge).
    pc:ver:<tag>    the tag's version: bumped by every purge of the tag (and pc:ver:*
                    by clear()). Derived lists key on the versions of what they
                    show (derived.py), so a purge retires only those that depend on
                    it, where the generation retires them all.
    pc:404          sorted set of the page keys holding a cached 404, scored by
                    expiry: the not-found budget shared by every worker.
    pc:fill:<key>   "1" while one worker renders a missing page for everyone
                    (the others wait for its copy), "pass" for a while after that
                    page proved uncacheable (nobody waits).

Negative caching is bounded: every junk path or junk `?page=` is a 404, and storing
each for an hour let junk fill Redis (noeviction) or, on the local-memory cache, push
every real page out. A 404 lives PAGE_CACHE_NOT_FOUND_TIMEOUT seconds (at most 60),
and at most PAGE_CACHE_NOT_FOUND_MAX of them are kept; storing one more drops the
oldest 404, never a page. On Redis one Lua script checks and updates the budget
atomically across workers; locally the 404s live in their own small LRU, outside
the Django cache, so they cannot evict pages from it.

A purge costs one SMEMBERS per tag and one DEL per affected page: proportional to
the pages affected, not to the size of the cache. It also publishes the purged keys
on `pc:purged`, so each worker drops its in-process copies (local_copies.py).
"""

import logging
import pickle
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django_redis import get_redis_connection

from .local_copies import CHANNEL, CLEAR_ALL, LocalCopies
from .purge_log import CLEAR_ALL as LOG_CLEAR_ALL
from .purge_log import PurgeLog

logger = logging.getLogger("cms.page_cache")

PAGE_PREFIX = "pc:page:"
TAG_PREFIX = "pc:tag:"
GENERATION_KEY = "pc:gen"
VERSION_PREFIX = "pc:ver:"
# The dependency of everything: clear() bumps it.
EVERYTHING = "*"
# Versions start at generation_base() when missing, so one that expired comes back
# higher than it ever was: a version never repeats, whatever the timeout.
VERSION_TIMEOUT = 60 * 60 * 24
NOT_FOUND_KEY = "pc:404"
FILL_PREFIX = "pc:fill:"
NOT_FOUND_STATUS = 404


def generation_base() -> int:
    """Where a purge generation starts when none is stored: the time in
    microseconds. Later than any generation an earlier run reached (one purge per
    microsecond would be needed to catch up), so a value never comes back after
    the cache loses its data, and caches keyed on it (derived.py keeps copies in
    process memory) can never mistake an old value for a current one."""
    return time.time_ns() // 1000


# Single flight (PageCacheMiddleware): the outcomes of claiming a missing page.
CLAIMED = "claimed"  # this request renders it
BUSY = "busy"  # another request is rendering it: wait for its copy
PASS = "pass"  # noqa: S105 - just found uncacheable: render without waiting
# A claim outlives a render that died (a killed worker) by at most this long.
FILL_CLAIM_SECONDS = 10
# How long an uncacheable page is rendered without anyone waiting.
PASS_SECONDS = 10

# KEYS: the budget's sorted set, the page key, then its tag sets.
# ARGV: the pickled response, its timeout (s), the budget (entries).
STORE_NOT_FOUND = """
local budget = tonumber(ARGV[3])
if budget <= 0 then return 0 end
local timeout = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREM', KEYS[1], KEYS[2])
while redis.call('ZCARD', KEYS[1]) >= budget do
    local oldest = redis.call('ZPOPMIN', KEYS[1])
    redis.call('DEL', oldest[1])
end
redis.call('SET', KEYS[2], ARGV[1], 'EX', timeout)
redis.call('ZADD', KEYS[1], now + timeout, KEYS[2])
if redis.call('TTL', KEYS[1]) < timeout then redis.call('EXPIRE', KEYS[1], timeout) end
for i = 3, #KEYS do
    redis.call('SADD', KEYS[i], KEYS[2])
    -- never shorten a tag set that also lists pages stored for longer
    if redis.call('TTL', KEYS[i]) < timeout then
        redis.call('EXPIRE', KEYS[i], timeout)
    end
end
return 1
"""


def now() -> float:
    """The local store's clock (tests move it)."""
    return time.monotonic()


@dataclass(frozen=True)
class CachedResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    # The body gzipped once at store time, when it may be compressed
    # (cms/compression.py): hits are served compressed without compressing.
    # Entries pickled before these fields existed read the class defaults.
    gzipped: bytes | None = None
    # What it shows (its cache tags), for the edge's tag header on every hit; and
    # when it was rendered (time.time()), for the Age a hit is sent with.
    tags: tuple[str, ...] = ()
    stored_at: float = 0.0


class CircuitBreaker:
    """After a backend error, skip the backend for a few seconds, so an outage costs
    one short timeout per process rather than one per request.

    `trips` counts how often it opened in this process (reported by /readyz and in
    the warning logged at each trip): during an outage it should grow by about one
    per pause, not one per request."""

    def __init__(self, pause_seconds: float):
        self.pause_seconds = pause_seconds
        self.open_until = 0.0
        self.trips = 0

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self) -> None:
        self.trips += 1
        self.open_until = time.monotonic() + self.pause_seconds


class RedisPageStore:
    def __init__(self, alias: str):
        self.redis = get_redis_connection(alias)
        self.local = LocalCopies(
            self.redis,
            max_entries=settings.PAGE_CACHE_LOCAL_ENTRIES,
            ttl=settings.PAGE_CACHE_LOCAL_TTL,
        )
        self.store_not_found = self.redis.register_script(STORE_NOT_FOUND)

    def get(self, key: str) -> CachedResponse | None:
        entry = self.local.get(key)
        if entry is not None:
            return entry
        seen_version = self.local.current_version()
        raw = self.redis.get(PAGE_PREFIX + key)
        if raw is None:
            return None
        entry = pickle.loads(raw)  # noqa: S301 - written by this module only
        if entry.status != NOT_FOUND_STATUS:
            # 404s are not copied locally: junk must not push hot pages out, and a
            # copy could outlive the 404's short timeout.
            self.local.put(key, entry, seen_version)
        return entry

    def generation(self) -> int:
        value = self.redis.get(GENERATION_KEY)
        if value is None:  # first use, or Redis lost its data
            self.redis.set(GENERATION_KEY, generation_base(), nx=True)
            value = self.redis.get(GENERATION_KEY)
        return int(value)

    def versions(self, tags: list[str]) -> list[int]:
        """The current version of each of `tags` (see pc:ver: above)."""
        keys = [VERSION_PREFIX + tag for tag in tags]
        values = self.redis.mget(keys)
        missing = [
            key for key, value in zip(keys, values, strict=True) if value is None
        ]
        if missing:
            pipe = self.redis.pipeline(transaction=False)
            for key in missing:
                pipe.set(key, generation_base(), nx=True, ex=VERSION_TIMEOUT)
            pipe.execute()
            values = self.redis.mget(keys)
        # A key that expired in between reads as a version never used before.
        return [generation_base() if value is None else int(value) for value in values]

    def _bump_versions(self, pipe, tags) -> None:
        for tag in tags:
            key = VERSION_PREFIX + tag
            pipe.set(key, generation_base(), nx=True, ex=VERSION_TIMEOUT)
            pipe.incr(key)
            pipe.expire(key, VERSION_TIMEOUT)

    def put(
        self, key: str, entry: CachedResponse, timeout: int, tags: set[str]
    ) -> None:
        page_key = PAGE_PREFIX + key
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(
            page_key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), ex=timeout
        )
        for tag in tags:
            pipe.sadd(TAG_PREFIX + tag, page_key)
            pipe.expire(TAG_PREFIX + tag, timeout)
        pipe.execute()

    def put_not_found(
        self, key: str, entry: CachedResponse, timeout: int, tags: set[str], budget: int
    ) -> bool:
        """Store a 404 within the shared budget (dropping the oldest 404s)."""
        payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        keys = [NOT_FOUND_KEY, PAGE_PREFIX + key, *(TAG_PREFIX + tag for tag in tags)]
        return bool(self.store_not_found(keys=keys, args=[payload, timeout, budget]))

    def claim_fill(self, key: str) -> str:
        """CLAIMED, BUSY or PASS (constants above) for the missing page `key`."""
        fill_key = FILL_PREFIX + key
        if self.redis.set(fill_key, b"1", nx=True, ex=FILL_CLAIM_SECONDS):
            return CLAIMED
        return PASS if self.redis.get(fill_key) == PASS.encode() else BUSY

    def end_fill(self, key: str, cacheable: bool) -> None:
        if cacheable:
            self.redis.delete(FILL_PREFIX + key)
        else:
            self.redis.set(FILL_PREFIX + key, PASS.encode(), ex=PASS_SECONDS)

    def not_found_count(self) -> int:
        return self.redis.zcount(NOT_FOUND_KEY, time.time(), "+inf")

    def purge(self, tags: set[str]) -> int:
        tag_keys = [TAG_PREFIX + tag for tag in tags]
        pipe = self.redis.pipeline(transaction=False)
        for tag_key in tag_keys:
            pipe.smembers(tag_key)
        page_keys = set().union(*pipe.execute()) if tag_keys else set()
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(GENERATION_KEY, generation_base(), nx=True)
        pipe.incr(GENERATION_KEY)
        self._bump_versions(pipe, tags)
        if page_keys or tag_keys:
            pipe.delete(*page_keys, *tag_keys)
        if page_keys:
            pipe.zrem(NOT_FOUND_KEY, *page_keys)
        purged = [key.decode().removeprefix(PAGE_PREFIX) for key in page_keys]
        if purged:
            # Every worker drops its local copies of these pages.
            pipe.publish(CHANNEL, " ".join(purged))
        pipe.execute()
        self.local.forget(purged)
        return len(page_keys)

    def clear(self) -> int:
        deleted = 0
        for pattern in (PAGE_PREFIX + "*", TAG_PREFIX + "*"):
            batch = []
            for key in self.redis.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    deleted += self.redis.delete(*batch)
                    batch = []
            if batch:
                deleted += self.redis.delete(*batch)
        self.redis.delete(NOT_FOUND_KEY)
        self.redis.set(GENERATION_KEY, generation_base(), nx=True)
        self.redis.incr(GENERATION_KEY)
        pipe = self.redis.pipeline(transaction=False)
        self._bump_versions(pipe, [EVERYTHING])
        pipe.execute()
        self.redis.publish(CHANNEL, CLEAR_ALL)
        self.local.forget(None)
        return deleted

    def close(self) -> None:
        self.local.stop()

    def size(self) -> int:
        return sum(1 for _ in self.redis.scan_iter(match=PAGE_PREFIX + "*", count=1000))


class LocalPageStore:
    """The same contract on any Django cache (local memory in development and
    tests). Tag sets are read-modify-written, so each process keeps its own pages;
    with a `shared_purges` log, purges made in other processes (the scheduler, a
    management command) reach this one too (cms/page_cache/purge_log.py)."""

    def __init__(self, alias: str, shared_purges: PurgeLog | None = None):
        self.cache = caches[alias]
        self.lock = threading.Lock()
        self.namespace = 0
        self.shared_purges = shared_purges
        # 404s: key -> (expires at, response, tags), oldest first. Kept apart from
        # the Django cache, whose culling would otherwise drop real pages for junk.
        self.not_found: OrderedDict[str, tuple[float, CachedResponse, set[str]]] = (
            OrderedDict()
        )
        # Single flight: key -> (until, CLAIMED or PASS).
        self.fills: dict[str, tuple[float, str]] = {}

    def _page_key(self, key: str) -> str:
        return f"{PAGE_PREFIX}{self.namespace}:{key}"

    def get(self, key: str) -> CachedResponse | None:
        if self.shared_purges is not None:
            self.shared_purges.catch_up(self._apply_shared)
        held = self.not_found.get(key)
        if held is not None:
            expires_at, entry, _ = held
            if now() < expires_at:
                return entry
            with self.lock:
                self.not_found.pop(key, None)
        return self.cache.get(self._page_key(key))

    def _apply_shared(self, tags: set[str]) -> None:
        if LOG_CLEAR_ALL in tags:
            self._clear_here()
            purged = "all"
        else:
            purged = self._purge_here(tags)
        logger.info(
            "page cache purged %s pages for %d tags from other processes",
            purged,
            len(tags),
        )

    def put_not_found(
        self, key: str, entry: CachedResponse, timeout: int, tags: set[str], budget: int
    ) -> bool:
        if budget <= 0:
            return False
        with self.lock:
            self.not_found.pop(key, None)
            while len(self.not_found) >= budget:
                self.not_found.popitem(last=False)  # the oldest 404
            self.not_found[key] = (now() + timeout, entry, set(tags))
        return True

    def claim_fill(self, key: str) -> str:
        moment = now()
        with self.lock:
            held = self.fills.get(key)
            if held is None or held[0] < moment:
                self.fills[key] = (moment + FILL_CLAIM_SECONDS, CLAIMED)
                return CLAIMED
            return PASS if held[1] == PASS else BUSY

    def end_fill(self, key: str, cacheable: bool) -> None:
        with self.lock:
            if cacheable:
                self.fills.pop(key, None)
            else:
                self.fills[key] = (now() + PASS_SECONDS, PASS)
            for stale in [k for k, held in self.fills.items() if held[0] < now()]:
                del self.fills[stale]

    def not_found_count(self) -> int:
        moment = now()
        return sum(1 for held in self.not_found.values() if held[0] > moment)

    def generation(self) -> int:
        # Derived values key on it, in renders that never look a page up (a
        # logged-in reader's): purges made by other processes apply here too.
        if self.shared_purges is not None:
            self.shared_purges.catch_up(self._apply_shared)
        return self._stored_generation()

    def versions(self, tags: list[str]) -> list[int]:
        if self.shared_purges is not None:
            self.shared_purges.catch_up(self._apply_shared)
        keys = [VERSION_PREFIX + tag for tag in tags]
        with self.lock:
            found = self.cache.get_many(keys)
            for key in keys:
                if key not in found:
                    found[key] = generation_base()
                    self.cache.set(key, found[key], VERSION_TIMEOUT)
        return [found[key] for key in keys]

    def _bump_versions(self, tags) -> None:
        # Under self.lock. Set, not incr: a missing version starts above any
        # it ever had.
        keys = [VERSION_PREFIX + tag for tag in tags]
        found = self.cache.get_many(keys)
        self.cache.set_many(
            {key: found.get(key, generation_base()) + 1 for key in keys},
            VERSION_TIMEOUT,
        )

    def _stored_generation(self) -> int:
        value = self.cache.get(GENERATION_KEY)
        if value is None:  # first use, or the cache was cleared
            self.cache.add(GENERATION_KEY, generation_base(), None)
            value = self.cache.get(GENERATION_KEY)
        return value

    def put(
        self, key: str, entry: CachedResponse, timeout: int, tags: set[str]
    ) -> None:
        page_key = self._page_key(key)
        with self.lock:
            self.cache.set(page_key, entry, timeout)
            for tag in tags:
                members = self.cache.get(TAG_PREFIX + tag, set())
                members.add(page_key)
                self.cache.set(TAG_PREFIX + tag, members, timeout)

    def purge(self, tags: set[str]) -> int:
        purged = self._purge_here(tags)
        if self.shared_purges is not None:
            self.shared_purges.record(tags)
        return purged

    def clear(self) -> int:
        self._clear_here()
        if self.shared_purges is not None:
            self.shared_purges.record({LOG_CLEAR_ALL})
        return 0

    def _purge_here(self, tags: set[str]) -> int:
        with self.lock:
            tag_keys = [TAG_PREFIX + tag for tag in tags]
            page_keys = set().union(*self.cache.get_many(tag_keys).values())
            self.cache.delete_many([*page_keys, *tag_keys])
            not_found = [key for key, held in self.not_found.items() if held[2] & tags]
            for key in not_found:
                del self.not_found[key]
            self._bump_generation()
            self._bump_versions(tags)
        return len(page_keys) + len(not_found)

    def _clear_here(self) -> None:
        with self.lock:
            self.namespace += 1  # every stored page becomes unreachable at once
            self.not_found.clear()
            self._bump_generation()
            self._bump_versions([EVERYTHING])

    def _bump_generation(self) -> None:
        # The stored value, not generation(): that catches up with other
        # processes' purges, which would purge again from inside this one.
        self.cache.set(GENERATION_KEY, self._stored_generation() + 1, None)

    def close(self) -> None:
        pass


_store = None
_breaker = None


def get_store():
    """The configured store, built once per process."""
    global _store
    if _store is None:
        alias = settings.WAGTAIL_CACHE_BACKEND
        backend = settings.CACHES[alias]["BACKEND"]
        if backend == "django_redis.cache.RedisCache":
            _store = RedisPageStore(alias)
        else:
            shared = settings.PAGE_CACHE_SHARED_PURGES
            interval = settings.PAGE_CACHE_PURGE_SYNC_INTERVAL
            _store = LocalPageStore(alias, PurgeLog(interval) if shared else None)
    return _store


def get_breaker() -> CircuitBreaker:
    global _breaker
    if _breaker is None:
        _breaker = CircuitBreaker(settings.PAGE_CACHE_OUTAGE_PAUSE)
    return _breaker


def _reset(**kwargs) -> None:
    global _store, _breaker
    if kwargs.get("setting") in {
        "CACHES",
        "WAGTAIL_CACHE_BACKEND",
        "PAGE_CACHE_OUTAGE_PAUSE",
        "PAGE_CACHE_SHARED_PURGES",
        "PAGE_CACHE_PURGE_SYNC_INTERVAL",
    }:
        if _store is not None:
            _store.close()  # else its purge listener runs on, against the old Redis
        _store = None
        _breaker = None


setting_changed.connect(_reset)

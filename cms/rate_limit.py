"""Per-client rate limits for reader writes (comments, ratings, view beacons).

A client is its address as cms/client_address.py works it out (behind trusted
proxies, the reader's own address, not the proxy's).

Fixed windows counted in the shared cache, so every worker sees the same counts.
When the shared cache is unreachable (Redis down), each process falls back to its
own in-memory counts: limits stay in force, at worst as many times looser as there
are worker processes, and a reader never gets a 500 because Redis is down.
"""

import logging
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from cms.client_address import client_address

logger = logging.getLogger("cms.rate_limit")


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'5/600' is five requests per 600 seconds."""
        requests, seconds = text.split("/")
        return cls(int(requests), int(seconds))


class LocalCounts:
    """This process's own window counts, used while the shared cache is down."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, int]] = {}

    def incr(self, key: str, ttl: int) -> int:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > 10_000:  # drop expired windows now and then
                self._counts = {k: v for k, v in self._counts.items() if v[0] > now}
            expires, count = self._counts.get(key, (now + ttl, 0))
            if expires <= now:
                expires, count = now + ttl, 0
            self._counts[key] = (expires, count + 1)
            return count + 1

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


local_counts = LocalCounts()


def _shared_incr(key: str, ttl: int) -> int | None:
    """The window's count after this request, or None if the cache is unreachable.
    (django-redis with IGNORE_EXCEPTIONS answers None instead of raising.)"""
    try:
        if cache.add(key, 1, ttl):
            return 1
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        return 1 if cache.add(key, 1, ttl) else None
    except Exception:
        logger.warning("rate limit cache unreachable", exc_info=True)
        return None


def allow(request: HttpRequest, scope: str, rate: Rate) -> bool:
    """Count this request against `scope` for its client; False when over the rate."""
    return allow_key(f"{scope}:{client_address(request)}", rate)


def allow_key(key: str, rate: Rate) -> bool:
    """Count one event for `key` (anything: an address, a reader token, a whole
    site's new search queries); False when over the rate."""
    window = int(time.time() // rate.seconds)
    key = f"ratelimit:{key}:{window}"
    count = _shared_incr(key, rate.seconds + 1)
    if count is None:
        count = local_counts.incr(key, rate.seconds + 1)
    return count <= rate.requests

"""Counting hot events (views, searches) without a database write per event.

A BufferedCounter holds increments per key: in a Redis hash shared by every worker
when the default cache is Redis, else in this process's memory. Whoever writes
the counts to the database drains the buffer, and restores what it drained if
the write fails. See engagement/view_counts.py and search/query_stats.py.
"""

import logging
import threading
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django_redis import get_redis_connection

logger = logging.getLogger("cms.buffered_counts")


class RedisBuffer:
    def __init__(self, name: str):
        self.redis = get_redis_connection("default")
        self.key = f"pw:counts:{name}"

    def add(self, key: str, amount: int = 1) -> None:
        self.redis.hincrby(self.key, key, amount)

    def drain(self) -> Counter:
        """Take every pending count atomically; increments made meanwhile stay."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hgetall(self.key)
        pipe.delete(self.key)
        pending, _ = pipe.execute()
        return Counter({k.decode(): int(v) for k, v in pending.items()})

    def restore(self, counts: Counter) -> None:
        pipe = self.redis.pipeline()
        for key, amount in counts.items():
            pipe.hincrby(self.key, key, amount)
        pipe.execute()


class LocalBuffer:
    def __init__(self, name: str):
        self._lock = threading.Lock()
        self._pending: Counter = Counter()

    def add(self, key: str, amount: int = 1) -> None:
        with self._lock:
            self._pending[key] += amount

    def drain(self) -> Counter:
        with self._lock:
            pending, self._pending = self._pending, Counter()
        return pending

    def restore(self, counts: Counter) -> None:
        with self._lock:
            self._pending.update(counts)


_buffers: dict[str, RedisBuffer | LocalBuffer] = {}


def get_buffer(name: str) -> RedisBuffer | LocalBuffer:
    """The buffer called `name`, built once per process."""
    if name not in _buffers:
        redis = settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
        _buffers[name] = RedisBuffer(name) if redis else LocalBuffer(name)
    return _buffers[name]


def drain_into(buffer, write: Callable[[Counter], int]) -> int:
    """Pass the buffer's pending counts to `write` (which stores them and returns
    how many it stored). If `write` fails, the counts go back into the buffer for
    the next flush, and the error is logged and raised."""
    counts = buffer.drain()
    if not counts:
        return 0
    try:
        return write(counts)
    except Exception:
        buffer.restore(counts)
        logger.exception(
            "flush failed; %d counts kept for the next", sum(counts.values())
        )
        raise


def flush_if_due(lock_key: str, interval: int, flush: Callable[[], int]) -> None:
    """Run `flush` unless some process did within `interval` seconds (the lock
    key in the shared cache expires after it). Never raises: a failed flush was
    logged and its counts wait for the next one."""
    if cache.add(lock_key, 1, interval):
        try:
            flush()
        except Exception:  # noqa: S110 - logged by drain_into
            pass

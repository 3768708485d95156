"""Counting reader views without a database write per view.

A view is an increment in a buffer: a Redis hash shared by every worker when the
cache is Redis, else a dict in this process. A flush moves the buffer into
ArticleViews (one row per article and day) in one transaction: one write per
article per flush, however many views. Flushes run at most every
VIEW_FLUSH_INTERVAL seconds, from the first beacon after the interval and from
the scheduler (run_scheduler's PERIODIC_TASKS).

What a crash can lose: with Redis, only a flush in progress (its counts are put
back if the database write fails); with the in-process buffer, what the process
counted since its last flush, at most one interval.
"""

import logging
import threading
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger("articles.views")

REDIS_KEY = "pw:articles:views:pending"
FLUSH_LOCK_KEY = "articles:views:flush-lock"


class RedisViewBuffer:
    def __init__(self, alias: str):
        from django_redis import get_redis_connection

        self.redis = get_redis_connection(alias)

    def add(self, article_id: int) -> None:
        self.redis.hincrby(REDIS_KEY, article_id, 1)

    def drain(self) -> Counter:
        """Take every pending count, atomically: views added meanwhile stay."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hgetall(REDIS_KEY)
        pipe.delete(REDIS_KEY)
        pending, _ = pipe.execute()
        return Counter({int(k): int(v) for k, v in pending.items()})

    def restore(self, counts: Counter) -> None:
        pipe = self.redis.pipeline()
        for article_id, views in counts.items():
            pipe.hincrby(REDIS_KEY, article_id, views)
        pipe.execute()


class LocalViewBuffer:
    def __init__(self):
        self._lock = threading.Lock()
        self._pending: Counter = Counter()

    def add(self, article_id: int) -> None:
        with self._lock:
            self._pending[article_id] += 1

    def drain(self) -> Counter:
        with self._lock:
            pending, self._pending = self._pending, Counter()
        return pending

    def restore(self, counts: Counter) -> None:
        with self._lock:
            self._pending.update(counts)


_buffer = None


def get_buffer():
    global _buffer
    if _buffer is None:
        backend = settings.CACHES["default"]["BACKEND"]
        _buffer = (
            RedisViewBuffer("default")
            if backend == "django_redis.cache.RedisCache"
            else LocalViewBuffer()
        )
    return _buffer


def record_view(article_id: int) -> bool:
    """Count one view; False if the buffer is unreachable (the view is not counted)."""
    try:
        get_buffer().add(article_id)
    except Exception:
        logger.warning("view buffer unreachable; view not counted", exc_info=True)
        return False
    flush_if_due()
    return True


def flush_if_due() -> None:
    """Flush when no process has flushed within the interval."""
    if cache.add(FLUSH_LOCK_KEY, 1, settings.VIEW_FLUSH_INTERVAL):
        try:
            flush()
        except Exception:  # logged by flush; the counts wait for the next one
            return


def flush() -> int:
    """Write the buffered counts to the database; returns how many views."""
    from .models import ArticlePage, ArticleViews

    buffer = get_buffer()
    counts = buffer.drain()
    if not counts:
        return 0
    today = timezone.localdate()
    try:
        with transaction.atomic():
            # Articles deleted since their view was counted are dropped.
            existing = set(
                ArticlePage.objects.filter(pk__in=counts).values_list("pk", flat=True)
            )
            for article_id in sorted(existing):  # one lock order: no deadlocks
                updated = ArticleViews.objects.filter(
                    article_id=article_id, day=today
                ).update(views=F("views") + counts[article_id])
                if not updated:
                    ArticleViews.objects.create(
                        article_id=article_id, day=today, views=counts[article_id]
                    )
    except Exception:
        buffer.restore(counts)
        logger.exception(
            "view counts flush failed; %d views kept for the next",
            sum(counts.values()),
        )
        raise
    total = sum(counts[pk] for pk in existing)
    logger.info("flushed %d views of %d articles", total, len(existing))
    return total

"""Counting reader views without a database write per view.

A view is an increment in a buffer (cms/buffered_counts.py): a Redis hash shared by
every worker when the cache is Redis, else a dict in this process. A flush moves
the buffer into DailyPageViews (one row per page and day) in one transaction: one
write per page per flush, however many views. Flushes run at most every
VIEW_FLUSH_INTERVAL seconds, from the first beacon after the interval and from
the scheduler (run_scheduler's PERIODIC_TASKS).

What a crash can lose: with Redis, only a flush in progress (its counts are put
back if the database write fails); with the in-process buffer, what the process
counted since its last flush, at most one interval.
"""

import logging
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from cms import buffered_counts

from .models import DailyPageViews

logger = logging.getLogger("engagement.views")

FLUSH_LOCK_KEY = "engagement:views:flush-lock"
# The buffer's name is kept from when views were per article: counts buffered
# before an upgrade are still flushed.
BUFFER_NAME = "article-views"


def get_buffer():
    return buffered_counts.get_buffer(BUFFER_NAME)


def record_view(page_id: int) -> bool:
    """Count one view; False if the buffer is unreachable (the view is not counted)."""
    try:
        get_buffer().add(str(page_id))
    except Exception:
        logger.warning("view buffer unreachable; view not counted", exc_info=True)
        return False
    flush_if_due()
    return True


def flush_if_due() -> None:
    """Flush when no process has flushed within the interval (never raises)."""
    buffered_counts.flush_if_due(FLUSH_LOCK_KEY, settings.VIEW_FLUSH_INTERVAL, flush)


def flush() -> int:
    """Write the buffered counts to the database; returns how many views."""
    return buffered_counts.drain_into(get_buffer(), _store_views)


def _store_views(pending: Counter) -> int:
    counts = {int(key): views for key, views in pending.items()}
    today = timezone.localdate()
    with transaction.atomic():
        # Pages deleted since their view was counted are dropped.
        existing = set(Page.objects.filter(pk__in=counts).values_list("pk", flat=True))
        for page_id in sorted(existing):  # one lock order: no deadlocks
            updated = DailyPageViews.objects.filter(page_id=page_id, day=today).update(
                views=F("views") + counts[page_id]
            )
            if not updated:
                DailyPageViews.objects.create(
                    page_id=page_id, day=today, views=counts[page_id]
                )
    total = sum(counts[pk] for pk in existing)
    logger.info("flushed %d views of %d pages", total, len(existing))
    return total

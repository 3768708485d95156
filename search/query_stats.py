"""What readers search for, recorded without a database write per search.

Each search adds one to its normalised query in a buffer (cms/buffered_counts.py);
the scheduler (PERIODIC_TASKS) and the first search after SEARCH_STATS_INTERVAL
write the counts into Wagtail's search-promotions tables (Query, QueryDailyHits),
which the admin's "Search terms" report reads.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from cms import buffered_counts

logger = logging.getLogger("search.stats")

BUFFER_NAME = "search-queries"
FLUSH_LOCK_KEY = "search:stats:flush-lock"


def get_buffer():
    return buffered_counts.get_buffer(BUFFER_NAME)


def record_search(query: str) -> None:
    """Count one search for `query` (never raises: statistics are not worth a 500)."""
    try:
        get_buffer().add(normalise_query_string(query))
    except Exception:
        logger.warning("search statistics buffer unreachable", exc_info=True)
        return
    try:
        flush_if_due()
    except Exception:  # logged by flush; the counts wait for the next one
        return


def flush() -> int:
    """Write the buffered search counts to the database; returns how many."""
    buffer = get_buffer()
    counts = buffer.drain()
    if not counts:
        return 0
    today = timezone.localdate()
    try:
        with transaction.atomic():
            for query_string, hits in sorted(counts.items()):
                query = Query.get(query_string)
                updated = QueryDailyHits.objects.filter(query=query, date=today).update(
                    hits=F("hits") + hits
                )
                if not updated:
                    QueryDailyHits.objects.create(query=query, date=today, hits=hits)
    except Exception:
        buffer.restore(counts)
        logger.exception("search statistics flush failed; kept for the next")
        raise
    return sum(counts.values())


def flush_if_due() -> None:
    buffered_counts.flush_if_due(FLUSH_LOCK_KEY, settings.SEARCH_STATS_INTERVAL, flush)

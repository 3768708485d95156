"""What readers search for, recorded without a database write per search.

Each search adds one to its normalised query in a buffer (cms/buffered_counts.py);
the scheduler (PERIODIC_TASKS) and the first search after SEARCH_STATS_INTERVAL
write the counts into Wagtail's search-promotions tables (Query, QueryDailyHits),
which the admin's "Search terms" report reads.
"""

import logging
from collections import Counter

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
    flush_if_due()


def flush() -> int:
    """Write the buffered search counts to the database; returns how many."""
    return buffered_counts.drain_into(get_buffer(), _store_hits)


def _store_hits(counts: Counter) -> int:
    today = timezone.localdate()
    with transaction.atomic():
        for query_string, hits in sorted(counts.items()):
            query = Query.get(query_string)
            updated = QueryDailyHits.objects.filter(query=query, date=today).update(
                hits=F("hits") + hits
            )
            if not updated:
                QueryDailyHits.objects.create(query=query, date=today, hits=hits)
    return sum(counts.values())


def flush_if_due() -> None:
    """Flush when no process has flushed within the interval (never raises)."""
    buffered_counts.flush_if_due(FLUSH_LOCK_KEY, settings.SEARCH_STATS_INTERVAL, flush)

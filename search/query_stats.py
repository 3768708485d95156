"""What readers search for, recorded without a database write per search.

Each search adds one to its normalised query in a buffer (cms/buffered_counts.py);
the scheduler (PERIODIC_TASKS) and the first search after SEARCH_STATS_INTERVAL
write the counts into Wagtail's search-promotions tables (Query, QueryDailyHits),
which the admin's "Search terms" report reads.
"""

import hashlib
import logging
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from cms import buffered_counts
from cms.rate_limit import Rate, allow_key

logger = logging.getLogger("search.stats")

BUFFER_NAME = "search-queries"
FLUSH_LOCK_KEY = "search:stats:flush-lock"
# How long a query's "already in the statistics" is remembered without a lookup.
KNOWN_QUERY_TTL = 24 * 60 * 60


def get_buffer():
    return buffered_counts.get_buffer(BUFFER_NAME)


def record_search(query: str, reader: str) -> None:
    """Count one search for `query` by `reader` (their token, else their address),
    unless they searched for it within SEARCH_STATS_DEDUPE_WINDOW, or the query is
    new to the statistics and this minute's allowance of new queries is spent.
    Never raises: statistics are not worth a 500. (Without a reachable cache
    nothing is counted: the dedupe cannot tell, and a flood must not get through.)"""
    normalised = normalise_query_string(query)
    if not normalised:
        return
    try:
        if not (_first_by_reader(normalised, reader) and _admitted(normalised)):
            return
        get_buffer().add(normalised)
    except Exception:
        logger.warning("search statistics buffer unreachable", exc_info=True)
        return
    flush_if_due()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def _first_by_reader(query: str, reader: str) -> bool:
    key = f"search:stats:seen:{_digest(reader, query)}"
    return bool(cache.add(key, 1, settings.SEARCH_STATS_DEDUPE_WINDOW))


def _admitted(query: str) -> bool:
    """Queries already in the statistics always count; a new one only while fewer
    than SEARCH_STATS_NEW_QUERIES_PER_MINUTE new ones came this minute."""
    known_key = f"search:stats:known:{_digest(query)}"
    if cache.get(known_key) or Query.objects.filter(query_string=query).exists():
        cache.set(known_key, 1, KNOWN_QUERY_TTL)
        return True
    allowance = Rate(settings.SEARCH_STATS_NEW_QUERIES_PER_MINUTE, 60)
    if not allow_key("search-stats:new-queries", allowance):
        logger.info("new search query not counted: this minute's allowance is spent")
        return False
    cache.set(known_key, 1, KNOWN_QUERY_TTL)
    return True


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

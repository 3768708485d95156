"""Most-read articles of the last seven days, kept in the low-level cache.

The ranked ids are refreshed by the scheduler (after each view-count flush) and
after publishing; pages showing the list carry the POPULAR cache tag, purged only
when the ranking actually changes.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from cms.page_cache.purge import purge_tags

from . import cache_tags

CACHE_KEY = "articles:popular:ids"
CACHE_TIMEOUT = 60 * 60 * 2
POPULAR_COUNT = 5
WINDOW_DAYS = 7


def rank_popular(limit: int = POPULAR_COUNT) -> list[int]:
    """Published articles by views in the last WINDOW_DAYS days, most first."""
    from .models import ArticlePage, ArticleViews

    since = timezone.localdate() - timedelta(days=WINDOW_DAYS - 1)
    rows = (
        ArticleViews.objects.filter(
            day__gte=since,
            article__in=ArticlePage.objects.published().values("pk"),
        )
        .values("article")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article")[:limit]
    )
    return [row["article"] for row in rows]


def popular_ids() -> list[int]:
    ids = cache.get(CACHE_KEY)
    if ids is None:
        ids = rank_popular()
        cache.set(CACHE_KEY, ids, CACHE_TIMEOUT)
    return ids


def refresh_popular() -> bool:
    """Re-rank; purge the pages showing the list if it changed. True if changed."""
    ids = rank_popular()
    previous = cache.get(CACHE_KEY)
    cache.set(CACHE_KEY, ids, CACHE_TIMEOUT)
    if (previous or []) != ids:
        purge_tags({cache_tags.POPULAR})
        return True
    return False

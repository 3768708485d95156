"""Most-read pages of the last seven days, kept in the low-level cache.

The ranked ids are refreshed by the scheduler (after each view-count flush) and
after any page is published or unpublished; pages showing the list carry the
POPULAR cache tag, purged only when the ranking actually changes.

Only live, public pages whose type counts views and that are open to readers now
(engagement.pages: an embargoed article is not) rank. That is decided when
ranking, so showing the list costs no query for it.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import Page

from cms.page_cache.purge import purge_tags

from .cache_tags import POPULAR
from .models import DailyPageViews
from .pages import accepts

CACHE_KEY = "engagement:popular:ids"
CACHE_TIMEOUT = 60 * 60 * 2
POPULAR_COUNT = 5
WINDOW_DAYS = 7


def rank_popular(limit: int = POPULAR_COUNT) -> list[int]:
    """Readable pages by views in the last WINDOW_DAYS days, most first."""
    since = timezone.localdate() - timedelta(days=WINDOW_DAYS - 1)
    # A few spare candidates, for pages that turn out not to be open to readers.
    rows = (
        DailyPageViews.objects.filter(
            day__gte=since, page__in=Page.objects.live().public().values("pk")
        )
        .values("page")
        .annotate(total=Sum("views"))
        .order_by("-total", "-page")[: limit * 2]
    )
    ranked = [row["page"] for row in rows]
    pages = Page.objects.filter(pk__in=ranked).specific()
    readable = {page.pk for page in pages if accepts(page, "view")}
    return [pk for pk in ranked if pk in readable][:limit]


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
        purge_tags({POPULAR})
        return True
    return False

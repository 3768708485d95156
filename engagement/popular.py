"""Most-read pages of the last seven days, kept in the low-level cache.

Pages showing the list carry the POPULAR cache tag. The scheduler (after each
view-count flush) and any publish or unpublish re-rank and purge POPULAR only when
the ranking changed. The ids shown are a derived value (cms/page_cache/derived.py):
they expire with every purge, in every process, so a process that did not rank
them (the web server, when the scheduler runs apart without Redis) re-ranks once
after that purge rather than keep an old list.

Only live, public pages whose type counts views and that are open to readers now
(engagement.pages: an embargoed article is not) rank. That is decided when
ranking, so showing the list costs no query for it.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import Page

from cms.page_cache.derived import cached_ids
from cms.page_cache.purge import purge_tags

from .cache_tags import POPULAR
from .models import DailyPageViews
from .pages import accepts

# The ranking this process last published, to tell whether a re-rank changed it.
LAST_RANKING_KEY = "engagement:popular:last-ranking"
LAST_RANKING_TIMEOUT = 60 * 60 * 24
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
    return cached_ids("engagement:popular", rank_popular, depends_on=[POPULAR])


def refresh_popular() -> bool:
    """Re-rank; purge the pages showing the list if it changed. True if changed."""
    previous = cache.get(LAST_RANKING_KEY)
    if previous is None:  # this process has not ranked yet: compare with the shown
        previous = popular_ids()
    ids = rank_popular()
    cache.set(LAST_RANKING_KEY, ids, LAST_RANKING_TIMEOUT)
    if previous != ids:
        purge_tags({POPULAR})
        return True
    return False

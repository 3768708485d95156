"""Periodic work for the scheduler (settings.PERIODIC_TASKS)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from cms.page_cache.purge import purge_tags, tags_for_change

from .models import ArticlePage
from .related import refresh_related

logger = logging.getLogger("articles.publishing")

# When this process last looked; the first pass looks back as far as a cached page
# can live, so embargoes that lifted while no scheduler ran are caught too.
_last_pass: datetime | None = None


def lift_embargoes() -> int:
    """Purge what changes when live articles' publication dates pass: their URL
    (a cached 404), the listings, archives, feeds, sitemap and neighbours they
    join. Returns how many articles came out of embargo since the last pass."""
    global _last_pass
    now = timezone.now()
    since = _last_pass or now - timedelta(seconds=settings.PAGE_CACHE_TIMEOUT)
    lifted = list(
        ArticlePage.objects.live().filter(published_at__gt=since, published_at__lte=now)
    )
    if lifted:
        purge_tags(set().union(*(tags_for_change(article) for article in lifted)))
        for article in lifted:  # they now rank in related lists
            refresh_related.enqueue(article.pk)
        logger.info("embargo lifted for %d articles", len(lifted))
    _last_pass = now
    return len(lifted)

"""Purging: the only way content leaves the page cache before its timeout."""

import logging
import time

from wagtail.models import Page

from .store import get_breaker, get_store
from .tags import SITEMAP_TAG, page_tag, path_tag

logger = logging.getLogger("cms.page_cache")


def purge_tags(tags: set[str]) -> int | None:
    """Delete every cached page carrying any of `tags`; returns how many.

    Never raises: publishing must succeed when the cache is down. A failed purge is
    logged as an error (those pages may stay stale until PAGE_CACHE_TIMEOUT).
    """
    if not tags:
        return 0
    started = time.perf_counter()
    try:
        purged = get_store().purge(set(tags))
    except Exception:
        logger.error("page cache purge FAILED for tags %s", sorted(tags), exc_info=True)
        return None
    logger.info(
        "page cache purged %d pages for %d tags in %.1f ms",
        purged,
        len(tags),
        (time.perf_counter() - started) * 1000,
    )
    return purged


def _public_path(page: Page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


def tags_for_change(page: Page, parent: Page | None = None) -> set[str]:
    """What a change to `page` touches: its `page:` tag (its page and every card of
    it), the sitemap, a cached 404 or redirect at its URL, and what its type
    declares in get_cache_purge_tags(parent=None)."""
    page = page.specific_deferred if type(page) is Page else page
    tags = {page_tag(page.pk), SITEMAP_TAG}
    path = _public_path(page)
    if path:
        tags.add(path_tag(path))
    declared = getattr(page, "get_cache_purge_tags", None)
    if declared is not None:
        tags |= declared(parent=parent)
    return tags


def clear_page_cache() -> None:
    """Drop every cached page (superusers, from the admin). Raises on failure."""
    get_store().clear()
    logger.warning("page cache cleared entirely")


def cache_generation() -> int:
    """Bumped by every purge; low-level caches key on it to expire with the pages.
    -1 while the cache is unreachable (callers then skip their cache too)."""
    breaker = get_breaker()
    if breaker.is_open:
        return -1
    try:
        return get_store().generation()
    except Exception:
        breaker.trip()
        logger.warning(
            "page cache generation unavailable (trip %d)", breaker.trips, exc_info=True
        )
        return -1

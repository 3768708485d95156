"""Purging: the only way content leaves the page cache before its timeout."""

import logging

from django.utils import timezone
from wagtail.models import Page

from .listed_state import listed_change
from .store import get_breaker, get_store
from .tags import SITEMAP_TAG, page_self_tag, page_tag, path_tag
from .tasks import CLEAR_ALL, STORE, purge_cache_tags, purge_targets, request_purge

logger = logging.getLogger("cms.page_cache")


def purge_tags(tags: set[str]) -> None:
    """Purge every cached copy of the pages carrying any of `tags`: in the page
    store and at every configured edge. Queued as a durable task, retried until
    it succeeds (cms/page_cache/tasks.py); callers run it after commit. Never
    raises: publishing must succeed when a cache is down."""
    if tags:
        request_purge(sorted(tags))


def _public_path(page: Page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


def tags_for_change(page: Page, parent: Page | None = None) -> set[str]:
    """What a change to `page` touches: its `page:` tag (its page and every card of
    it), the sitemap, a cached 404 or redirect at its URL, and what its type
    declares in get_cache_purge_tags(parent=None). When the page type says what
    other pages show of it and none of that changed (listed_state.py), only its
    own page (`page-self:`) and what the type declares for such a change."""
    page = page.specific_deferred if type(page) is Page else page
    listed = listed_change(page)
    tags = {page_tag(page.pk) if listed else page_self_tag(page.pk), SITEMAP_TAG}
    path = _public_path(page)
    if path:
        tags.add(path_tag(path))
    declared = getattr(page, "get_cache_purge_tags", None)
    if declared is not None:
        tags |= declared(parent=parent, **({} if listed else {"listed": False}))
    return tags


def clear_page_cache() -> None:
    """Drop every cached page (superusers, from the admin): the store at once
    (raises on failure, so the admin can say so), the edge through the queue."""
    get_store().clear()
    logger.warning("page cache cleared entirely")
    edges = [target for target in purge_targets() if target != STORE]
    if edges:
        purge_cache_tags.enqueue([CLEAR_ALL], edges, timezone.now().isoformat())


def tag_versions(tags: list[str]) -> list[int] | None:
    """The current version of each of `tags`, bumped by every purge of it
    (EVERYTHING's by a clear): what derived values depending on them key on.
    None while the cache is unreachable (callers then skip their cache too)."""
    breaker = get_breaker()
    if breaker.is_open:
        return None
    try:
        return get_store().versions(tags)
    except Exception:
        breaker.trip()
        logger.warning(
            "page cache versions unavailable (trip %d)", breaker.trips, exc_info=True
        )
        return None


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

"""Cache tags: names for what a cached response shows."""

import hashlib

from django.http import HttpRequest

REQUEST_ATTRIBUTE = "_page_cache_tags"
# The sitemap lists every page: any page change purges it.
SITEMAP_TAG = "sitemap"


def add_cache_tags(request: HttpRequest, *tags: str) -> None:
    """Record that the response to `request` shows the things `tags` name."""
    existing = getattr(request, REQUEST_ATTRIBUTE, None)
    if existing is None:
        existing = set()
        setattr(request, REQUEST_ATTRIBUTE, existing)
    existing.update(tags)


def tags_of(request: HttpRequest) -> set[str]:
    return getattr(request, REQUEST_ATTRIBUTE, set())


def page_tag(page_id: int) -> str:
    """Every response that shows page `page_id` (its own page, or a card of it)."""
    return f"page:{page_id}"


def page_self_tag(page_id: int) -> str:
    """Page `page_id`'s own response only, not its cards elsewhere: purged by a
    change nothing else shows (cms/page_cache/listed_state.py)."""
    return f"page-self:{page_id}"


def path_tag(path: str) -> str:
    """A cached 404 or redirect at `path`, purged when a page appears there.
    Hashed: hostile paths can be kilobytes long."""
    return f"path:{hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()}"

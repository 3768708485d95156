"""Purge the page cache when any page changes, after the transaction commits.

Generic for every page type: a change purges `page:<id>` (the page and every card of
it), `path:<url>` (a cached 404 or redirect where it now lives) and whatever the page
type declares in `get_cache_purge_tags(parent=None)`. Everything runs on commit, so a
rolled-back change purges nothing. Tags are worked out at commit time, once other
receivers (e.g. the article's published_at stamp) have finished; for a delete they
are worked out before the rows go.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from .purge import purge_tags
from .tags import SITEMAP_TAG, page_tag, path_tag


def _public_path(page: Page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


def tags_for_change(page: Page, parent: Page | None = None) -> set[str]:
    page = page.specific_deferred if type(page) is Page else page
    tags = {page_tag(page.pk), SITEMAP_TAG}
    path = _public_path(page)
    if path:
        tags.add(path_tag(path))
    declared = getattr(page, "get_cache_purge_tags", None)
    if declared is not None:
        tags |= declared(parent=parent)
    return tags


def purge_on_commit(tags: set[str]) -> None:
    transaction.on_commit(partial(purge_tags, tags))


def purge_page_on_commit(page: Page, parents: tuple = (None,)) -> None:
    def purge() -> None:
        purge_tags(set().union(*(tags_for_change(page, parent) for parent in parents)))

    transaction.on_commit(purge)


def on_page_changed(sender, instance: Page, **kwargs) -> None:
    purge_page_on_commit(instance)


def on_page_moved(sender, instance: Page, parent_page_before=None, **kwargs) -> None:
    purge_page_on_commit(instance, parents=(None, parent_page_before))


def on_page_deleted(sender, instance, **kwargs) -> None:
    # Sent once per model in the inheritance chain; act on the specific one only.
    if isinstance(instance, Page) and type(instance) is instance.specific_class:
        purge_on_commit(tags_for_change(instance))


def on_view_restriction_changed(
    sender, instance: PageViewRestriction, **kwargs
) -> None:
    # Restricting (or opening up) a section changes what anonymous readers get for
    # every page in it, and for every card of those pages.
    page_ids = Page.objects.descendant_of(instance.page, inclusive=True).values_list(
        "pk", flat=True
    )
    purge_on_commit({page_tag(pk) for pk in page_ids})


def register_signal_handlers() -> None:
    page_published.connect(on_page_changed, dispatch_uid="page-cache-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="page-cache-unpublished")
    page_slug_changed.connect(on_page_changed, dispatch_uid="page-cache-slug-changed")
    post_page_move.connect(on_page_moved, dispatch_uid="page-cache-moved")
    pre_delete.connect(on_page_deleted, dispatch_uid="page-cache-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"page-cache-restriction-{signal is post_save}",
        )

"""Purge the page cache when any page changes, after the transaction commits.

Generic for every page type: a change purges `page:<id>` (the page and every card of
it), `path:<url>` (a cached 404 or redirect where it now lives) and whatever the page
type declares in `get_cache_purge_tags(parent=None)`. Everything runs on commit, so a
rolled-back change purges nothing. Tags are worked out at commit time, once other
receivers (e.g. the article's published_at stamp) have finished; for a delete they
are worked out before the rows go.
"""

import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from .listed_state import remember_listed_state
from .purge import clear_page_cache, purge_tags, tags_for_change
from .sources import register_purge_source

logger = logging.getLogger("cms.page_cache")

# A change to a section (a restriction, a move, a new slug) larger than this clears
# the whole cache rather than work out every page's tags.
SECTION_PURGE_LIMIT = 200


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
    purge_descendants_on_commit(instance)


def on_page_slug_changed(sender, instance: Page, **kwargs) -> None:
    purge_page_on_commit(instance)
    purge_descendants_on_commit(instance)


def purge_descendants_on_commit(page: Page) -> None:
    """A page's descendants live at addresses under its own: when it moves or
    its slug changes, each is still cached at its old address (which is now a
    redirect, or nothing) and listed with its old URL. As if each changed."""
    transaction.on_commit(partial(purge_section, page.pk, inclusive=False))


def purge_section(page_pk: int, inclusive: bool) -> None:
    """Purge every live page under `page_pk` (and it, if `inclusive`) as if each
    changed; clear the whole cache when there are more than
    SECTION_PURGE_LIMIT of them rather than work out every page's tags."""
    top = Page.objects.filter(pk=page_pk).first()
    if top is None:
        return
    section = Page.objects.descendant_of(top, inclusive=inclusive).live()
    if section.count() > SECTION_PURGE_LIMIT:
        clear_page_cache_safely()
        return
    pages = section.specific()
    purge_tags(set().union(set(), *(tags_for_change(page) for page in pages)))


def on_page_deleted(sender, instance, **kwargs) -> None:
    # Sent once per model in the inheritance chain; act on the specific one only.
    if isinstance(instance, Page) and type(instance) is instance.specific_class:
        purge_on_commit(tags_for_change(instance))


def on_view_restriction_changed(
    sender, instance: PageViewRestriction, **kwargs
) -> None:
    # Restricting (or opening up) a section changes what anonymous readers get for
    # every page in it and wherever those pages are listed, counted or linked: as
    # if each of them were unpublished (or published).
    transaction.on_commit(partial(purge_section, instance.page_id, inclusive=True))


def clear_page_cache_safely() -> None:
    try:
        clear_page_cache()
    except Exception:
        logger.error("page cache clear FAILED", exc_info=True)


def on_site_changed(sender, **kwargs) -> None:
    # The site's name and address show on every page.
    transaction.on_commit(clear_page_cache_safely)


def tags_for_pages_referencing(obj) -> set[str]:
    """Everything a change to `obj` touches through the live pages that use it
    (Wagtail's reference index knows them): as if each of those pages changed."""
    page_type = ContentType.objects.get_for_model(Page)
    ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    pages = Page.objects.filter(pk__in={int(pk) for pk in ids}).live().specific()
    return set().union(set(), *(tags_for_change(page) for page in pages))


def register_signal_handlers() -> None:
    # Any sender: remember_listed_state returns at once for models without
    # cache_listed_fields.
    pre_save.connect(remember_listed_state, dispatch_uid="page-cache-listed-state")
    page_published.connect(on_page_changed, dispatch_uid="page-cache-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="page-cache-unpublished")
    page_slug_changed.connect(
        on_page_slug_changed, dispatch_uid="page-cache-slug-changed"
    )
    post_page_move.connect(on_page_moved, dispatch_uid="page-cache-moved")
    pre_delete.connect(on_page_deleted, dispatch_uid="page-cache-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"page-cache-restriction-{signal is post_save}",
        )
        signal.connect(
            on_site_changed, sender=Site, dispatch_uid=f"page-cache-site-{signal}"
        )
    # Replacing an image's file (or its focal point, title or description) changes
    # every page and card showing it; deleting it too.
    register_purge_source(
        get_image_model(),
        fields=[
            "file",
            "title",
            "description",
            "focal_point_x",
            "focal_point_y",
            "focal_point_width",
            "focal_point_height",
        ],
        tags_for=tags_for_pages_referencing,
    )

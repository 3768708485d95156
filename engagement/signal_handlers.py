"""Side effects of reader engagement, connected in EngagementConfig.ready().

Cached pages show comment counts and ratings: a change that shows, hides or
re-scores something purges the page's `page:<id>` tag (its page and every card
of it) after commit. Publishing or unpublishing any page may change the
most-read list, so it is re-ranked after commit.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from cms.page_cache import page_tag
from cms.page_cache.purge import purge_tags

from .models import Comment, CommentStatus, Rating
from .popular import refresh_popular
from .signals import comments_moderated


def purge_pages_on_commit(page_ids) -> None:
    """After commit, purge every cached response showing these pages."""
    tags = {page_tag(page_id) for page_id in page_ids}
    transaction.on_commit(partial(purge_tags, tags))


def on_comments_moderated(sender, page_ids, **kwargs) -> None:
    purge_pages_on_commit(page_ids)


def on_comment_saved(sender, instance: Comment, created: bool, raw=False, **kwargs):
    # A new comment waits for moderation and shows nowhere: no purge for it, so a
    # flood of submissions cannot empty the cache. An edit may show or hide one.
    if not raw and (not created or instance.status == CommentStatus.APPROVED):
        purge_pages_on_commit({instance.page_id})


def on_comment_deleted(sender, instance: Comment, **kwargs) -> None:
    if instance.status == CommentStatus.APPROVED:
        purge_pages_on_commit({instance.page_id})


def on_rating_saved(sender, instance: Rating, raw=False, **kwargs) -> None:
    if not raw:
        purge_pages_on_commit({instance.page_id})


def on_page_published_or_unpublished(sender, **kwargs) -> None:
    transaction.on_commit(refresh_popular)


def register_signal_handlers() -> None:
    comments_moderated.connect(
        on_comments_moderated, sender=Comment, dispatch_uid="comments-moderated"
    )
    post_save.connect(on_comment_saved, sender=Comment, dispatch_uid="comment-saved")
    post_delete.connect(
        on_comment_deleted, sender=Comment, dispatch_uid="comment-deleted"
    )
    post_save.connect(on_rating_saved, sender=Rating, dispatch_uid="rating-saved")
    # No sender: every page type's publish can change what ranks.
    page_published.connect(
        on_page_published_or_unpublished, dispatch_uid="engagement-page-published"
    )
    page_unpublished.connect(
        on_page_published_or_unpublished, dispatch_uid="engagement-page-unpublished"
    )

"""Registers the reader-comment moderation admin (engagement/viewsets.py) and what
the page delete says and refuses (engagement/page_deletion.py)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .page_deletion import before_bulk_delete_pages, before_delete_page
from .viewsets import (
    ApproveCommentsBulkAction,
    CommentViewSet,
    DeleteCommentsBulkAction,
    RejectCommentsBulkAction,
    SpamCommentsBulkAction,
)

register_snippet(CommentViewSet)

for bulk_action in (
    ApproveCommentsBulkAction,
    RejectCommentsBulkAction,
    SpamCommentsBulkAction,
):
    hooks.register("register_bulk_action", bulk_action)
# After Wagtail's own delete action (order 0), so this one is the comments' delete.
hooks.register("register_bulk_action", DeleteCommentsBulkAction, order=100)

hooks.register("before_delete_page", before_delete_page)
hooks.register("before_bulk_action", before_bulk_delete_pages)

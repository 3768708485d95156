"""Registers the reader-comment moderation admin (engagement/viewsets.py)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .viewsets import (
    ApproveCommentsBulkAction,
    CommentViewSet,
    RejectCommentsBulkAction,
    SpamCommentsBulkAction,
    comment_moderation_buttons,
)

register_snippet(CommentViewSet)

for bulk_action in (
    ApproveCommentsBulkAction,
    RejectCommentsBulkAction,
    SpamCommentsBulkAction,
):
    hooks.register("register_bulk_action", bulk_action)

hooks.register("register_snippet_listing_buttons", comment_moderation_buttons)

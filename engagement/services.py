"""Reader-engagement writes: small typed functions the endpoints and admin call.

Side effects of these writes (purging cached pages that show comment counts and
ratings) are signal receivers in signal_handlers.py.
"""

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Page

from .models import Comment, CommentStatus, Rating
from .signals import comments_moderated


def comment_submit(
    *,
    page: Page,
    name: str,
    email: str,
    body: str,
    submission_key: uuid.UUID | None = None,
) -> tuple[Comment, bool]:
    """Store a reader's comment for moderation; returns (comment, created).

    A submission key already used returns the stored comment: a retried or
    double-clicked submission is stored once.
    """
    fields = {"page_id": page.pk, "name": name, "email": email, "body": body}
    if submission_key is None:
        return Comment.objects.create(**fields), True
    return Comment.objects.get_or_create(submission_key=submission_key, defaults=fields)


def comments_moderate(*, comments: QuerySet, status: str, moderator) -> int:
    """Set `status` on `comments` in one statement; returns how many changed.

    Sends comments_moderated with the pages whose shown comments changed
    (something approved, or something approved taken down).
    """
    with transaction.atomic():
        changing = comments.exclude(status=status)
        becomes_visible_or_hidden = (
            changing
            if status == CommentStatus.APPROVED
            else changing.filter(status=CommentStatus.APPROVED)
        )
        page_ids = set(
            becomes_visible_or_hidden.values_list("page_id", flat=True).distinct()
        )
        changed = changing.update(
            status=status, moderated_at=timezone.now(), moderated_by=moderator
        )
        if page_ids:
            comments_moderated.send(sender=Comment, page_ids=page_ids)
    return changed


def rating_set(*, page: Page, reader: str, score: int) -> Rating:
    """The reader's score for the page; re-rating replaces the earlier one."""
    rating, _ = Rating.objects.update_or_create(
        page_id=page.pk, reader=reader, defaults={"score": score}
    )
    return rating

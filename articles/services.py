"""Reader-engagement writes: small typed functions the views and admin call.

Side effects of these writes (purging cached pages that show comment counts and
ratings) are signal receivers in signal_handlers.py.
"""

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import ArticlePage, Comment, CommentStatus, Rating
from .signals import comments_moderated


def comment_submit(
    *,
    article: ArticlePage,
    name: str,
    email: str,
    body: str,
    submission_key: uuid.UUID | None = None,
) -> tuple[Comment, bool]:
    """Store a reader's comment for moderation; returns (comment, created).

    A submission key already used returns the stored comment: a retried or
    double-clicked submission is stored once.
    """
    fields = {"article": article, "name": name, "email": email, "body": body}
    if submission_key is None:
        return Comment.objects.create(**fields), True
    return Comment.objects.get_or_create(submission_key=submission_key, defaults=fields)


def comments_moderate(*, comments: QuerySet, status: str, moderator) -> int:
    """Set `status` on `comments` in one statement; returns how many changed.

    Sends comments_moderated with the articles whose shown comments changed
    (something approved, or something approved taken down).
    """
    with transaction.atomic():
        changing = comments.exclude(status=status)
        becomes_visible_or_hidden = (
            changing
            if status == CommentStatus.APPROVED
            else changing.filter(status=CommentStatus.APPROVED)
        )
        article_ids = set(
            becomes_visible_or_hidden.values_list("article_id", flat=True).distinct()
        )
        changed = changing.update(
            status=status, moderated_at=timezone.now(), moderated_by=moderator
        )
        if article_ids:
            comments_moderated.send(sender=Comment, article_ids=article_ids)
    return changed


def rating_set(*, article: ArticlePage, reader: str, score: int) -> Rating:
    """The reader's score for the article; re-rating replaces the earlier one."""
    rating, _ = Rating.objects.update_or_create(
        article=article, reader=reader, defaults={"score": score}
    )
    return rating

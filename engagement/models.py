"""What readers leave on a page: comments, ratings and counted views.

Keyed on wagtailcore.Page, as Wagtail's contrib apps are, so any page type that
opts in (engagement.pages.ReaderEngagement) gets them without a table of its own.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .querysets import CommentQuerySet, CommentStatus

# Index and constraint names carry an `eng_` prefix: PostgreSQL names them per
# schema, and the tables these rows came from (articles_*) used the plain names.


class Comment(models.Model):
    """A reader's comment on a page; shown once an Editor approves it."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="reader_comments",
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), help_text=_("Never shown to readers."))
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Chosen by the reader's form: a retried or double-clicked submission is
    # stored once.
    submission_key = models.UUIDField(
        null=True, blank=True, unique=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    # Wagtail would index a snippet's references in the comment's own transaction
    # (django-tasks' immediate backend), swallowing any database error: when the
    # connection died there, the insert was rolled back silently and the reader
    # told "stored". A comment's only reference is its page, which nothing asks.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("reader comment")
        verbose_name_plural = _("reader comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["page", "status", "created_at"],
                name="eng_comment_page_status_idx",
            ),
            models.Index(
                fields=["status", "created_at"], name="eng_comment_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.body).chars(60)


class Rating(models.Model):
    """One score per anonymous reader (a signed cookie token) per page."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="reader_ratings",
    )
    reader = models.CharField(_("reader token"), max_length=64)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_at = models.DateTimeField(_("rated at"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "reader"], name="eng_rating_one_per_reader"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="eng_rating_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 for page {self.page_id}"


class DailyPageViews(models.Model):
    """Counted reader views of a page on one day, written in batches
    (engagement/view_counts.py)."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="daily_views",
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views per day")
        verbose_name_plural = _("page views per day")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "day"], name="eng_views_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="eng_views_day_idx")]

    def __str__(self) -> str:
        return f"page {self.page_id} on {self.day}: {self.views}"

"""Planning items (assignments) and the secret tokens of the per-person iCal feeds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import PlanItemQuerySet


class PlanItem(models.Model):
    """A story being planned: from an idea with no page yet, through assignment and
    writing, to "ready". Its status is the newsroom's, separate from Wagtail's
    live/draft/scheduled states of the page it is linked to once writing starts."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        ASSIGNED = "assigned", _("Assigned")
        WRITING = "writing", _("Writing")
        EDITING = "editing", _("Editing")
        READY = "ready", _("Ready")

    title = models.CharField(_("working title"), max_length=255)
    brief = models.TextField(
        _("brief"),
        max_length=1000,
        blank=True,
        help_text=_("What the story is about, its angle and sources, in short."),
    )
    status = models.CharField(
        _("planning status"),
        max_length=16,
        choices=Status.choices,
        default=Status.IDEA,
    )
    due = models.DateTimeField(_("due"), null=True, blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignees"),
        blank=True,
        related_name="plan_items",
    )
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("article"),
        null=True,
        blank=True,
        # An item outlives its page: deleting the draft leaves the plan.
        on_delete=models.SET_NULL,
        related_name="plan_item",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due", "pk"]
        indexes = [
            # The calendar's planned lane and the dashboard read by due date.
            models.Index(fields=["due"], name="planitem_due_idx"),
            models.Index(fields=["status", "due"], name="planitem_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    # Authors move their own item forward through these; Editors set any status.
    AUTHOR_STEPS = [Status.WRITING, Status.EDITING, Status.READY]


class CalendarFeedToken(models.Model):
    """The secret in a person's iCal feed URL, kept only as a SHA-256 digest (as
    share links are): a copy of the database hands out no working feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"

"""Share links to drafts, the views they had, and what their readers said."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import ShareLinkQuerySet


class ShareLink(models.Model):
    """A secret URL (/share/<token>/) that shows a page's draft until it expires
    or is revoked: the latest revision (follow) or the one it was made with
    (pinned)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="share_links"
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    pinned_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the link follows the latest revision."),
    )
    note = models.CharField(max_length=200, blank=True)
    may_review = models.BooleanField(
        default=False,
        help_text=_("The reader may answer the review: looks good, or changes."),
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("share link")
        indexes = [models.Index(fields=["page", "-created_at"])]

    def __str__(self) -> str:
        return f"Share link {self.pk} to page {self.page_id}"

    @property
    def follows_latest(self) -> bool:
        return self.pinned_revision_id is None


class ShareLinkView(models.Model):
    """One opening of a share link: when (the request log keeps the rest)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(auto_now_add=True)
    mode = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"View of share link {self.link_id} at {self.viewed_at:%Y-%m-%d %H:%M}"


class ShareComment(models.Model):
    """What a share link's reader wrote, with the verdict when they answered the
    review ("looks good" or "changes requested")."""

    LOOKS_GOOD = "looks_good"
    CHANGES = "changes_requested"
    VERDICTS = [(LOOKS_GOOD, _("Looks good")), (CHANGES, _("Request changes"))]

    link = models.ForeignKey(
        ShareLink, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(max_length=80)
    text = models.TextField(max_length=4000, blank=True)
    verdict = models.CharField(max_length=20, choices=VERDICTS, blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The revision the reader was looking at."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display() or 'Comment'} by {self.name}"

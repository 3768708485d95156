"""Comment statuses and the predicates that read comments."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.pages import PagePermissionPolicy


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=CommentStatus.APPROVED)

    def on_pages_editable_by(self, user) -> "CommentQuerySet":
        """Comments on pages `user` may edit: for an Author, the pages they own."""
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(
            user, ["change"]
        )
        return self.filter(page__in=editable.values("pk"))

    def oldest_first(self) -> "CommentQuerySet":
        return self.order_by("created_at", "pk")

from django.db import models
from django.utils import timezone


class ShareLinkQuerySet(models.QuerySet):
    def usable(self) -> "ShareLinkQuerySet":
        """Links that still open: not revoked, not expired, their page there."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def for_page(self, page) -> "ShareLinkQuerySet":
        return self.filter(page=page)

    def newest_first(self) -> "ShareLinkQuerySet":
        return self.order_by("-created_at", "-pk")

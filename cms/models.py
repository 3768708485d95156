from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

# Defined beside the page cache it serves; imported here so Django registers it.
from .page_cache.purge_log import PurgeLogEntry

__all__ = ["PurgeLogEntry", "User"]


class User(AbstractUser):
    """The site's user, custom from the first migration so fields can grow safely.

    Content points at users with PROTECT or SET_NULL, never CASCADE: deleting an
    account must not delete what the person wrote.
    """

    bio = models.TextField(
        _("bio"),
        blank=True,
        max_length=1000,
        help_text=_("A short biography shown on the articles you write."),
    )
    avatar = models.ImageField(
        _("avatar"),
        upload_to="avatars/",
        blank=True,
        help_text=_("A square portrait, shown beside your name."),
    )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def can_edit_article(self, article) -> bool:
        """Whether this user may edit `article`, as Wagtail's page permission policy
        decides (group page permissions), so there is one source of truth."""
        return article.permissions_for_user(self).can_edit()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    """Share-a-draft links for any page: a secret URL that shows the draft as
    the public page would, to people without an account, who may comment and,
    inside the review workflow, answer it. Keyed on wagtailcore.Page."""

    name = "sharing"
    verbose_name = _("Draft sharing")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    """Reader engagement for any page type: comments, ratings, view counts and
    the most-read list. Page types opt in with engagement.pages.ReaderEngagement."""

    name = "engagement"
    verbose_name = _("Reader engagement")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()

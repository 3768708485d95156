from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Newsroom planning: assignments (an idea, its brief, due date, assignees and
    planning status, linked to an article once writing starts), the editorial
    calendar and its per-person iCal feeds. Builds on cms and articles; nothing
    imports it but cms/urls.py."""

    name = "planning"
    verbose_name = _("Planning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .listing_columns import register_listing_columns
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        register_listing_columns()

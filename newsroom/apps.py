from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The editors' working admin: dashboard panels, where the explorer starts,
    and what the admin says after an action. Builds on articles, engagement and
    cms; nothing imports it."""

    name = "newsroom"
    default_auto_field = "django.db.models.BigAutoField"

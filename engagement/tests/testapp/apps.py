from django.apps import AppConfig


class EngagementTestAppConfig(AppConfig):
    """Page types that exist only in the test settings: engagement working on
    something other than an article."""

    name = "engagement.tests.testapp"
    label = "engagement_testapp"
    default_auto_field = "django.db.models.BigAutoField"

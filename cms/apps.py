from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CmsConfig(AppConfig):
    """Cross-cutting pieces: the user model, shared page mixins, cache machinery."""

    default = True  # apps.py holds two configs; this one is the cms app's
    name = "cms"
    verbose_name = _("Presswagon")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from PIL import Image

        from . import checks  # noqa: F401 - registers the system checks
        from .page_cache.serving import register_serving_hooks
        from .page_cache.signal_handlers import register_signal_handlers
        from .public_address import sync_site_record_after_migrate

        register_signal_handlers()
        register_serving_hooks()
        # Every deployment runs migrate: the Site record follows SITE_URL from there.
        post_migrate.connect(sync_site_record_after_migrate, sender=self)
        # Pillow refuses to open an image over 2x this many pixels (from its header,
        # before decoding): that is Wagtail's upload limit, so no image over it is
        # ever decoded. cms.images turns the refusal into a form error.
        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 2


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user viewset, so bio and avatar are editable."""

    user_viewset = "cms.viewsets.UserViewSet"

"""Admin customisation for the cross-cutting pieces (page cache, users, page
creation, images live pages use, login lockouts). The page cache's front-end hook is
cms/page_cache/serving.py."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .image_admin import image_delete_urls, refuse_bulk_delete_of_live_images
from .page_cache.views import clear_page_cache_view
from .page_chooser import with_status
from .page_creation import create_under_parent_lock, is_serialised
from .prepublish import audit
from .prepublish.doors import refuse_bulk_publish_of_failing_pages
from .viewsets import LoginLockoutViewSet


@hooks.register("register_admin_urls")
def register_page_cache_admin_urls():
    return [path("page-cache/", clear_page_cache_view, name="page_cache_clear")]


# Ahead of wagtailimages' own URLs (order 0), so its delete addresses reach our views.
@hooks.register("register_admin_urls", order=-1)
def register_image_delete_urls():
    return image_delete_urls()


hooks.register("before_bulk_action", refuse_bulk_delete_of_live_images)
hooks.register("before_bulk_action", refuse_bulk_publish_of_failing_pages)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_page_cache_menu_item():
    return SuperuserMenuItem(
        _("Page cache"), reverse("page_cache_clear"), icon_name="bin", order=900
    )


@hooks.register("register_admin_viewset")
def register_login_lockouts():
    return LoginLockoutViewSet()


@hooks.register("get_avatar_url")
def profile_avatar_url(user, size):
    # The admin shows the avatar from our user model (not Gravatar).
    avatar = getattr(user, "avatar", None)
    return avatar.url if avatar else None


@hooks.register("before_create_page")
def create_pages_one_at_a_time(request, parent_page, page_class):
    """Re-run the create view inside the parent's lock (cms/page_creation.py); the
    inner run passes through here again and goes on as usual."""
    if request.method != "POST" or is_serialised(request):
        return None
    match = request.resolver_match
    return create_under_parent_lock(
        request, parent_page, match.func, *match.args, **match.kwargs
    )


hooks.register("construct_page_chooser_queryset", with_status)


# Pre-publish checks (cms/prepublish): the override's history entry. The edit and
# create views hand these hooks the instance the form validated (publish: before
# publishing; a workflow approval or a submit: after the edit or creation).
hooks.register("register_log_actions", audit.register_log_actions)


@hooks.register("before_publish_page")
@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def record_prepublish_override(request, page):
    audit.record_override(page, request.user)

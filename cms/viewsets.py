"""Admin viewsets for the cross-cutting models: the user editor (showing the custom
user's bio and avatar) and the login lockouts django-axes records."""

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import F, Max, Sum, Window
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import DeleteView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import PresswagonUserCreationForm, PresswagonUserEditForm
from .login_throttling import cool_off, locked_until


class UserViewSet(WagtailUserViewSet):
    # Our templates extend Wagtail's and add the profile fields to the Account tab.
    template_prefix = "cms/users/"

    def get_form_class(self, for_update=False):
        return PresswagonUserEditForm if for_update else PresswagonUserCreationForm


class SuperusersMayViewAndDelete(BasePermissionPolicy):
    """Active superusers may list and delete; nobody may add or edit. Login
    records are evidence, not content: they are not group permissions either."""

    actions = frozenset({"view", "delete"})

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action in self.actions

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if self.actions.isdisjoint(actions):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


def lockout_label(attempt: AccessAttempt) -> str:
    return f"{attempt.username} @ {attempt.ip_address or _('unknown address')}"


class LoginLockoutIndexView(IndexView):
    default_ordering = "-attempt_time"

    def get_list_more_buttons(self, instance):
        # Details and "Unlock" (the delete view, named for what it does).
        buttons = []
        if inspect_url := self.get_inspect_url(instance):
            buttons.append(
                MenuItem(_("Details"), url=inspect_url, icon_name="info-circle")
            )
        if unlock_url := self.get_delete_url(instance):
            buttons.append(MenuItem(_("Unlock"), url=unlock_url, icon_name="lock-open"))
        return buttons

    def get_base_queryset(self):
        # Only attempts axes still counts (those of the last cool-off period), each
        # with its pair's totals: attempts from one address with several user agents
        # are separate rows that lock the username + address pair together.
        pair = [F("username"), F("ip_address")]
        return (
            super()
            .get_base_queryset()
            .filter(attempt_time__gte=timezone.now() - cool_off())
            .annotate(
                pair_failures=Window(Sum("failures_since_start"), partition_by=pair),
                pair_latest_attempt=Window(Max("attempt_time"), partition_by=pair),
            )
        )


class LoginLockoutDeleteView(DeleteView):
    """Unlocking is deleting the pair's attempts, every user agent's: deleting
    one row could leave enough failures in the others to keep the lock."""

    page_title = _("Unlock")

    def get_page_subtitle(self):
        return lockout_label(self.object)

    @property
    def confirmation_message(self):
        return _(
            "Forget the failed logins of %(pair)s? They can log in again at once."
        ) % {"pair": lockout_label(self.object)}

    def get_success_message(self):
        return _("Unlocked %(pair)s.") % {"pair": lockout_label(self.object)}

    def delete_action(self):
        attempt = self.object
        with transaction.atomic():
            log(instance=attempt, action="wagtail.delete")
            AccessAttempt.objects.filter(
                username=attempt.username, ip_address=attempt.ip_address
            ).delete()


class LoginLockoutInspectView(InspectView):
    def get_page_subtitle(self):
        return lockout_label(self.object)


def lockout_state(attempt: AccessAttempt) -> str:
    until = locked_until(attempt.pair_latest_attempt, attempt.pair_failures)
    if until is None:
        failures = attempt.pair_failures
        return ngettext(
            "Not locked (%(failures)d failure)",
            "Not locked (%(failures)d failures)",
            failures,
        ) % {"failures": failures}
    return _("Locked until %(time)s") % {
        "time": timezone.localtime(until).strftime("%Y-%m-%d %H:%M %Z")
    }


class LoginLockoutViewSet(ModelViewSet):
    """Settings → Login lockouts: recent failed logins by username and address,
    for superusers to see and unlock (`manage.py axes_reset` does it from a shell).
    Only the listing, details and unlock exist: no add, edit, copy, history."""

    model = AccessAttempt
    name = "login_lockouts"
    icon = "lock"
    menu_label = _("Login lockouts")
    add_to_settings_menu = True
    menu_order = 910
    index_view_class = LoginLockoutIndexView
    delete_view_class = LoginLockoutDeleteView
    inspect_view_class = LoginLockoutInspectView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "username",
        "ip_address",
        "user_agent",
        "failures_since_start",
        "attempt_time",
        "path_info",
    ]
    add_to_reference_index = False
    search_fields = ["username", "ip_address"]
    list_display = [
        # The first column links to the details and carries the row's buttons.
        "username",
        "ip_address",
        Column("state", label=_("Status"), accessor=lockout_state),
        Column("user_agent", label=_("User agent")),
        DateColumn("attempt_time", label=_("Latest attempt"), sort_key="attempt_time"),
    ]

    @property
    def permission_policy(self):
        return SuperusersMayViewAndDelete(self.model)

    def get_permissions_to_register(self):
        # Not offered in the group editor: the policy above ignores groups anyway.
        return Permission.objects.none()

    def get_common_view_kwargs(self, **kwargs):
        # The views left out of get_urlpatterns have no URL to link to.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("unlock/<int:pk>/", self.delete_view, name="delete"),
        ]

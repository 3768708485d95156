"""Who may do what with assignments in the admin, as a Wagtail permission policy
(the ModelViewSet asks it for its menu item, buttons and views)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from cms.roles import AUTHORS, EDITORS

from .models import PlanItem
from .roles import is_editor, is_planner
from .services import may_change_item


class PlanItemPermissionPolicy(BasePermissionPolicy):
    """Editors: everything. Authors: view and change (the status of) the items
    assigned to them; they neither create nor delete."""

    def user_has_permission(self, user, action) -> bool:
        if is_editor(user):
            return True
        return is_planner(user) and action in ("view", "change")

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        # Authors hold view and change; any other action is the Editors'.
        if set(actions) & {"view", "change"}:
            groups = [AUTHORS, EDITORS]
        else:
            groups = [EDITORS]
        return users.filter(
            Q(is_superuser=True) | Q(groups__name__in=groups)
        ).distinct()

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if not self.user_has_permission(user, action):
            return False
        return is_editor(user) or may_change_item(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return PlanItem.objects.none()
        return PlanItem.objects.visible_to(user)

"""The assignments admin at /admin/planning/: list with filters, create and edit.

Authors reach only the items assigned to them (the index and the object views
both read through the permission policy), and their edit form leaves only the
status, forward, editable."""

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from .forms import PlanItemForm, planners
from .models import PlanItem
from .permissions import PlanItemPermissionPolicy
from .services import may_change_item


class PlanItemFilterSet(WagtailFilterSet):
    assignees = django_filters.ModelChoiceFilter(
        queryset=planners(), label=_("Assignee")
    )
    due = django_filters.DateFromToRangeFilter(
        label=_("Due"), widget=DateRangePickerWidget
    )

    class Meta:
        model = PlanItem
        fields = ["status", "assignees", "due"]


class VisibleObjectMixin:
    """Someone else's item is a 404 in every object view (edit, history,
    usage), as if it did not exist."""

    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )


class PlanItemIndexView(generic.IndexView):
    def get_base_queryset(self):
        """Only the items the user may see."""
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        ).prefetch_related("assignees")


class PlanItemHistoryView(VisibleObjectMixin, history.HistoryView):
    pass


class PlanItemUsageView(VisibleObjectMixin, usage.UsageView):
    pass


class PlanItemEditView(VisibleObjectMixin, generic.EditView):
    def get_object(self, queryset=None):
        return super().get_object(queryset or self.get_base_object_queryset())

    @cached_property
    def header_buttons(self):
        """The article once it exists; until then, "Start writing" for whoever
        may work on the item."""
        buttons = list(super().header_buttons)
        if self.object.page_id:
            buttons.append(
                HeaderButton(
                    _("Open article"),
                    url=reverse("wagtailadmin_pages:edit", args=[self.object.page_id]),
                    icon_name="doc-full",
                )
            )
        elif may_change_item(self.request.user, self.object):
            buttons.append(
                HeaderButton(
                    _("Start writing"),
                    url=reverse("planning_start_writing", args=[self.object.pk]),
                    icon_name="edit",
                )
            )
        return buttons


def assignee_names(item) -> str:
    return ", ".join(
        p.get_full_name() or p.get_username() for p in item.assignees.all()
    )


def due_date(item) -> str:
    """The due date itself. (Wagtail's DateColumn says how long ago a date was,
    which reads "Just now" for every date still to come.)"""
    if item.due is None:
        return "—"
    return date_format(timezone.localtime(item.due), "D j M Y, H:i")


class PlanItemViewSet(ModelViewSet):
    model = PlanItem
    icon = "tasks"
    menu_label = _("Assignments")
    add_to_admin_menu = True
    menu_order = 205
    url_prefix = "planning"
    name = "planning"
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("brief"),
            FieldPanel("status"),
            FieldPanel("due"),
            FieldPanel("assignees"),
            HelpPanel(
                _(
                    "Once someone starts writing, the article is linked here; the "
                    "calendar shows the due date in its planned lane."
                )
            ),
        ],
        base_form_class=PlanItemForm,
    )
    index_view_class = PlanItemIndexView
    edit_view_class = PlanItemEditView
    history_view_class = PlanItemHistoryView
    usage_view_class = PlanItemUsageView
    filterset_class = PlanItemFilterSet
    list_display = [
        "title",
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("assignees", label=_("Assignees"), accessor=assignee_names),
        Column("due", label=_("Due"), accessor=due_date),
    ]
    ordering = ["due", "pk"]
    search_fields = ["title", "brief"]
    copy_view_enabled = False
    inspect_view_enabled = False

    @property
    def permission_policy(self):
        return PlanItemPermissionPolicy(self.model)

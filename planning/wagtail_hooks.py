"""Registers the planning admin: the assignments viewset, the calendar (page and
menu item, for Authors and Editors), "Start writing", the dashboard panel, and
the link from an article's edit view to its assignment."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import admin_urls, admin_views
from .models import PlanItem
from .panels import MyAssignmentsPanel
from .roles import is_planner
from .viewsets import PlanItemViewSet


@hooks.register("register_admin_viewset")
def register_plan_items():
    return PlanItemViewSet()


@hooks.register("register_admin_urls")
def register_calendar_urls():
    return [
        path("calendar/", include(admin_urls)),
        path(
            "planning/<int:pk>/start-writing/",
            admin_views.start_writing,
            name="planning_start_writing",
        ),
    ]


@hooks.register("register_page_header_buttons")
def assignment_button(page, user, view_name, next_url=None):
    """On an article's edit view: its assignment (brief, due date, status)."""
    if view_name != "edit" or not is_planner(user):
        return
    item = PlanItem.objects.visible_to(user).filter(page_id=page.pk).first()
    if item is not None:
        yield Button(
            _("Assignment: %(status)s") % {"status": item.get_status_display()},
            reverse("planning:edit", args=[item.pk]),
            icon_name="tasks",
            priority=70,
        )


class PlannersMenuItem(MenuItem):
    def is_shown(self, request):
        return is_planner(request.user)


@hooks.register("register_admin_menu_item")
def register_calendar_menu_item():
    return PlannersMenuItem(
        _("Calendar"), reverse("planning_calendar"), icon_name="date", order=204
    )


@hooks.register("construct_homepage_panels")
def add_my_assignments(request, panels):
    if is_planner(request.user):
        panels.append(MyAssignmentsPanel(request.user))

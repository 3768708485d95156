"""Registers the planning admin: the assignments viewset, the calendar (page and
menu item, for Authors and Editors), "Start writing", and the dashboard panel."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls, admin_views
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

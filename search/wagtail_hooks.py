"""Admin: the popular-searches report for Editors.

Wagtail's "Search terms" report is for superusers only; Editors, who choose the
promoted results, need to see what readers search for. Same report, shown to
anyone who may change search promotions, in place of Wagtail's menu item.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportView

PERMISSION = "wagtailsearchpromotions.change_searchpromotion"


class PopularSearchesReportView(SearchTermsReportView):
    page_title = _("Popular searches")
    index_url_name = "popular_searches"
    index_results_url_name = "popular_searches_results"
    # Wagtail labels the count "Views"; it counts how often the term was searched.
    columns = [
        Column("query_string", label=_("Search term(s)"), sort_key="query_string"),
        NumberColumn("_hits", label=_("Searches"), sort_key="_hits"),
    ]
    export_headings = {"query_string": _("Search term(s)"), "_hits": _("Searches")}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        # Skip Wagtail's superuser-only check, keep everything else.
        return ReportView.dispatch(self, request, *args, **kwargs)


@hooks.register("register_admin_urls")
def register_popular_searches_urls():
    return [
        path(
            "reports/popular-searches/",
            PopularSearchesReportView.as_view(),
            name="popular_searches",
        ),
        path(
            "reports/popular-searches/results/",
            PopularSearchesReportView.as_view(results_only=True),
            name="popular_searches_results",
        ),
    ]


class PopularSearchesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_popular_searches_menu_item():
    return PopularSearchesMenuItem(
        _("Popular searches"),
        reverse("popular_searches"),
        name="popular-searches",
        icon_name="search",
        order=1300,
    )


@hooks.register("construct_reports_menu")
def hide_superuser_only_search_terms(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]

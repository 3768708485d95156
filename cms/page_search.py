"""The admin's page search (/admin/pages/search/) without a subquery over every
page for the user's permissions.

Wagtail's SearchView keeps the pages the user may explore with
`pk IN (explorable_instances(user))`: PostgreSQL built a hash of every page of the
site for each of the view's three counts (20 ms each at 100,000 pages, the
wagtail#14593 problem). The same conditions put on the search's own rows (the
querysets combined with `&`, one WHERE clause) are checked only on the rows the
search looks at. Everything else is Wagtail 7.4's view, unchanged.

Served in place of Wagtail's by cms/urls.py (same paths, ahead of the admin's).
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.query import QuerySet
from wagtail.admin.views.pages.search import SearchView, page_filter_search
from wagtail.models import Page
from wagtail.permissions import page_permission_policy


class PageSearchView(SearchView):
    def get_queryset(self) -> QuerySet[Any]:
        # Wagtail 7.4's SearchView.get_queryset, with the permission filter
        # combined into the query instead of a `pk IN (subquery)`.
        self.all_pages = Page.objects.all()
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
            self.all_pages = self.all_pages & (
                page_permission_policy.explorable_instances(self.request.user)
            )
        pages = self.all_pages
        if self.show_locale_labels:
            pages = pages.select_related("locale")
        if self.ordering:
            pages = pages.order_by(self.ordering)
        if self.selected_content_type:
            pages = pages.filter(content_type=self.selected_content_type)
        pages = self.annotate_queryset(pages)
        pages, self.all_pages = page_filter_search(
            self.search_query, pages, self.all_pages, self.ordering
        )
        if pages.supports_facet:
            self.content_types = [
                (ContentType.objects.get_for_id(content_type_id), count)
                for content_type_id, count in self.all_pages.facet(
                    "content_type_id"
                ).items()
            ]
        return pages

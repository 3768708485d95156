"""The page explorer's listing of a section's children, as quick at its last page
as at its first however many children there are.

Wagtail's explorer (ExplorableIndexView) took 1.6 s for the last page of an
article index with 100,000 articles, three times its first page:

- it keeps only the children in `explorable_instances(user)`, a subquery over
  every page of the site with an OR per permission (wagtail#14593). A user whose
  permission covers the section itself may explore every child, so for them the
  filter is left out;
- it counts the children on every request; with nothing filtered the count is the
  section's `numchild`, which the page tree keeps;
- it reaches page N with OFFSET over rows that carry per-row EXISTS subqueries
  (is it a site root, has it an approved schedule), which PostgreSQL works out for
  every row it skips. Here the page's ids are found first, over bare rows, and
  only those fifty rows are loaded with everything the listing shows.

Searching and filtering are Wagtail's, unchanged. Used by the page types whose
sections grow (articles/viewsets.py).
"""

from functools import cached_property

from django.db.models import QuerySet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.models import Page
from wagtail.permissions import page_permission_policy


class IdsFirstPaginator(WagtailPaginator):
    """Wagtail's admin paginator that picks a page's ids before loading its rows,
    and takes a count already known."""

    def __init__(self, object_list, per_page, known_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if known_count is not None:
            self.count = known_count  # cached_property: set, it is never counted

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if rows.query.order_by:
            # Ties (pages never revised share a NULL date) broken by id, the same
            # way in every page's query: else pages could repeat or skip rows.
            rows = rows.order_by(*rows.query.order_by, "pk")
        ids = list(rows.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        # Same order, only the chosen rows.
        return self._get_page(rows.filter(pk__in=ids), number, self)


class SectionExplorerView(ExplorableIndexView):
    @cached_property
    def lists_every_child(self) -> bool:
        """Whether the user may explore every child of the section: their
        add/edit/publish/lock permission is on the section or above it (what
        `explorable_instances` grants to every descendant of such a page)."""
        user = self.request.user
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        path = self.parent_page.path
        granted = page_permission_policy.instances_with_direct_explore_permission(user)
        return any(path.startswith(page.path) for page in granted)

    @cached_property
    def lists_plain_children(self) -> bool:
        return (
            self.lists_every_child and not self.is_searching and not self.is_filtering
        )

    def get_base_queryset(self):
        if not self.lists_plain_children:
            return super().get_base_queryset()
        # Page rows, made specific for the fifty shown: picking a page's ids over
        # the page table alone spares a join with the page type's table for
        # every child (the listing's columns and orderings are all Page fields).
        return self.annotate_queryset(Page.objects.child_of(self.parent_page))

    def get_paginator(self, queryset, per_page, **kwargs):
        if not isinstance(queryset, QuerySet):  # search results: Wagtail's paging
            return super().get_paginator(queryset, per_page, **kwargs)
        known = self.parent_page.numchild if self.lists_plain_children else None
        return IdsFirstPaginator(queryset, per_page, known_count=known, **kwargs)

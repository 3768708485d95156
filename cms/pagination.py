"""Listing pagination that answers junk page numbers with 404, never 500, and
keeps deep pages as cheap as the first.

Django's Paginator counts every row on each render and reaches page N with
OFFSET, which reads and throws away every row before it: at 100,000 articles the
last page cost seconds. With a `Keyset`, where each page starts (its first row's
sort value and pk) is worked out in one query when the listing changes, kept as a
derived value (cms/page_cache/derived.py) until a purge of the tags it depends on,
with the count; a page is then the next `per_page` rows from its start, which an
index on the sort field finds directly, whatever the page number.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest

from .page_cache.derived import cached_value

PER_PAGE = 10


@dataclass(frozen=True)
class Keyset:
    """How to page through a listing ordered by `field` descending, then pk
    descending (newest first): the name its page starts are kept under, and the
    page-cache tags whose purge changes them (the listing's)."""

    field: str
    name: str
    depends_on: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PageStarts:
    count: int
    # (sort value, pk) of the first row of each page, in order.
    starts: list[tuple]


def page_starts(items: QuerySet, sort_field: str, per_page: int) -> PageStarts:
    """One query: the first row of every page and the number of rows, numbered
    by the database (ROW_NUMBER over the listing's order)."""
    order = [F(sort_field).desc(), F("pk").desc()]
    rows = (
        items.order_by(*order)
        .annotate(
            _row=Window(RowNumber(), order_by=order),
            _total=Window(Count("pk")),
        )
        .annotate(_slot=(F("_row") - 1) % per_page)
        .filter(_slot=0)
        .values_list(sort_field, "pk", "_total")
    )
    found = list(rows)
    return PageStarts(
        count=found[0][2] if found else 0,
        starts=[(value, pk) for value, pk, _ in found],
    )


class KeysetPaginator(Paginator):
    """Django's Paginator over a listing whose page starts are known: the count
    is theirs and a page is `per_page` rows from its start, no OFFSET."""

    def __init__(self, object_list, per_page, keyset: Keyset, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.keyset = keyset

    @cached_property
    def known(self) -> PageStarts:
        keyset = self.keyset
        return cached_value(
            f"pages:{keyset.name}:{self.per_page}",
            lambda: page_starts(self.object_list, keyset.field, self.per_page),
            depends_on=keyset.depends_on,
        )

    @cached_property
    def count(self) -> int:
        return self.known.count

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if not self.known.starts:  # an empty listing's only page
            return self._get_page(self.object_list.none(), number, self)
        rows = self.rows_from(number)
        return self._get_page(rows[: self.per_page], number, self)

    def rows_from(self, number: int) -> QuerySet:
        """The listing from the first row of page `number` on, in its order."""
        value, pk = self.known.starts[number - 1]
        name = self.keyset.field
        # `field <= value` bounds an index range scan; the rest settles ties.
        return (
            self.object_list.filter(**{f"{name}__lte": value})
            .filter(Q(**{f"{name}__lt": value}) | Q(**{name: value, "pk__lte": pk}))
            .order_by(F(name).desc(), F("pk").desc())
        )


def paginate(
    request: HttpRequest,
    items,
    per_page: int = PER_PAGE,
    allow_empty: bool = True,
    keyset: Keyset | None = None,
) -> Page:
    """The requested `?page=` of `items`; by `keyset` when given (see above).

    A missing parameter means page 1. Anything Django's Paginator rejects
    (`abc`, `-1`, `1e9`, past the last page) is a 404, as in Django's ListView: one
    canonical URL per page keeps junk variants out of the page cache. With
    `allow_empty=False` no items at all is a 404 too (at no extra query: the
    paginator's count decides).
    """
    if keyset is None:
        paginator = Paginator(items, per_page, allow_empty_first_page=allow_empty)
    else:
        paginator = KeysetPaginator(
            items, per_page, keyset, allow_empty_first_page=allow_empty
        )
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(str(error)) from error

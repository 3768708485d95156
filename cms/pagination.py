"""Listing pagination that answers junk page numbers with 404, never 500."""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest

PER_PAGE = 10


def paginate(
    request: HttpRequest, items, per_page: int = PER_PAGE, allow_empty: bool = True
) -> Page:
    """The requested `?page=` of `items`.

    A missing parameter means page 1. Anything Django's Paginator rejects
    (`abc`, `-1`, `1e9`, past the last page) is a 404, as in Django's ListView: one
    canonical URL per page keeps junk variants out of the page cache. With
    `allow_empty=False` no items at all is a 404 too (at no extra query: the
    paginator's count decides).
    """
    paginator = Paginator(items, per_page, allow_empty_first_page=allow_empty)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(str(error)) from error

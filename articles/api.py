"""Read API for articles (Wagtail API v2): /api/v2/articles/.

Read-only, paginated (?limit=, ?offset=; at most WAGTAILAPI_LIMIT_MAX per page),
newest first, published articles only. Responses go through the page cache with
the `articles:feeds` tag, which every article change purges.
"""

import logging
import re

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError
from django.http import Http404
from rest_framework.response import Response
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from cms.page_cache import add_cache_tags, page_tag
from cms.pagination import Keyset
from cms.search_input import clean_query

from . import cache_tags
from .api_pagination import KeysetAPIPagination
from .coauthors import CoAuthorRows
from .models import ArticlePage

logger = logging.getLogger("articles.api")

# The largest id or offset a database column or OFFSET clause takes (bigint).
LARGEST_INTEGER = 2**63 - 1
# An id as a column holds it: ASCII digits (int() also takes "١٢" and " 1 "),
# at most 18 of them so it is never past LARGEST_INTEGER.
ARTICLE_ID = re.compile(r"[0-9]{1,18}")


class StableOrderingFilter(OrderingFilter):
    """?order= on plain columns only, ties broken by id: ordering by a relation
    (tags) repeated rows, and ties let paging skip and repeat articles."""

    def filter_queryset(self, request, queryset, view):
        for field in filter(None, request.GET.get("order", "").split(",")):
            name = field.lstrip("-")
            model_field = next(
                (f for f in queryset.model._meta.get_fields() if f.name == name), None
            )
            if model_field is not None and (
                model_field.many_to_many or model_field.one_to_many
            ):
                raise BadRequestError(f"cannot order by '{field}' (several values)")
        ordered = super().filter_queryset(request, queryset, view)
        if request.GET.get("order") and request.GET["order"] != "random":
            ordered = ordered.order_by(*ordered.query.order_by, "pk")
        return ordered


class ArticlesAPIViewSet(PagesAPIViewSet):
    name = "articles"
    model = ArticlePage
    filter_backends = [FieldsFilter, StableOrderingFilter, SearchFilter]
    pagination_class = KeysetAPIPagination
    # The plain listing's order (get_queryset), its page starts kept until an
    # article change purges the API's tag.
    keyset = Keyset("published_at", name="api:articles", depends_on=[cache_tags.FEEDS])
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {
        "type",
        "child_of",
        "ancestor_of",
        "descendant_of",
        "translation_of",
        "locale",
        "site",
    }
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "intro",
        "author",
        "authors",
        "tags",
        "published_at",
        "updated_at",
        "featured_image_thumbnail",
    ]

    def get_queryset(self):
        return (
            ArticlePage.objects.published()
            .newest_first()
            .select_related("author", "featured_image")
            .prefetch_related("tags", "featured_image__renditions")
            # Co-authors for `authors`, in the articles' query (articles/coauthors.py).
            .annotate(coauthor_rows=CoAuthorRows())
        )

    # The page cache reads tags from Django's request, which DRF's Request wraps.
    def listing_view(self, request):
        clean_search_parameters(request)
        clean_filter_parameters(request, self.model)
        add_cache_tags(request._request, cache_tags.FEEDS)
        try:
            return super().listing_view(request)
        except (DatabaseError, RecursionError) as error:
            if "search" not in request.GET:
                raise
            # What the search backend still refuses (an unbalanced quote on
            # SQLite's FTS5) finds nothing, as on the search page.
            logger.warning("API search refused %r: %s", request.GET["search"], error)
            return Response({"meta": {"total_count": 0}, "items": []})

    def find_object(self, queryset, request):
        # A NUL in a path makes PostgreSQL refuse the query (a 503), and an id
        # that is no integer (?id=abc, ?id=0.0) made Wagtail's lookup raise
        # ValueError (a 500): no article has either, so it is simply not found.
        if "\x00" in request.GET.get("html_path", ""):
            return None
        if "id" in request.GET and not ARTICLE_ID.fullmatch(request.GET["id"]):
            return None
        return super().find_object(queryset, request)

    def detail_view(self, request, pk):
        if int(pk) > LARGEST_INTEGER:
            raise Http404("No such article")
        add_cache_tags(request._request, cache_tags.FEEDS, page_tag(pk))
        return super().detail_view(request, pk)


def clean_search_parameters(request) -> None:
    """?search= made safe as on the search page; an unknown ?search_operator= is a
    400 (Wagtail passed it to the backend, which raised: a 500)."""
    params = request._request.GET.copy()
    if "search" in params:
        params["search"], _ = clean_query(params["search"])
    if params.get("search_operator", "and") not in ("and", "or"):
        raise BadRequestError("search_operator must be 'and' or 'or'")
    request._request.GET = params


def clean_filter_parameters(request, model) -> None:
    """A field filter (?published_at=...) or page parameter whose value the column
    cannot hold is a 400, not a database error (a 500 or 503)."""
    for name, value in request._request.GET.items():
        if name in ("offset", "limit"):
            if value.isdigit() and int(value) > LARGEST_INTEGER:
                raise BadRequestError(f"{name} is too large")
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # Wagtail's own parameter checks apply
            continue
        if not getattr(field, "concrete", False) or field.is_relation:
            continue
        try:
            field.to_python(value)
        except ValidationError as error:
            raise BadRequestError(f"{name}: not a valid value") from error

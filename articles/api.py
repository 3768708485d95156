"""Read API for articles (Wagtail API v2): /api/v2/articles/.

Read-only, paginated (?limit=, ?offset=; at most WAGTAILAPI_LIMIT_MAX per page),
newest first, published articles only. Responses go through the page cache with
the `articles:feeds` tag, which every article change purges.
"""

from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from cms.page_cache import add_cache_tags, page_tag
from cms.search_input import clean_query

from . import cache_tags
from .models import ArticlePage


class ArticlesAPIViewSet(PagesAPIViewSet):
    name = "articles"
    model = ArticlePage
    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]
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
        )

    # The page cache reads tags from Django's request, which DRF's Request wraps.
    def listing_view(self, request):
        clean_search_parameters(request)
        add_cache_tags(request._request, cache_tags.FEEDS)
        return super().listing_view(request)

    def detail_view(self, request, pk):
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

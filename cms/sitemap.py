"""sitemap.xml (Wagtail's generator: live, public pages with lastmod) and robots.txt.

Both are cacheable; the sitemap carries the `sitemap` tag, which every page change
purges (cms/page_cache/signal_handlers.py).

Up to SECTION_SIZE pages, /sitemap.xml is the sitemap. Past that it is a sitemap
index (as the protocol requires past 50,000 URLs; sooner here, so that no response
grows with the site) pointing at its sections, /sitemap.xml?p=1, ?p=2, ... The
number of pages is kept until the next page change rather than counted on every
render.
"""

from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from .page_cache import add_cache_tags
from .page_cache.derived import cached_value
from .page_cache.tags import SITEMAP_TAG
from .public_address import absolute_url

# Pages per section: a section renders in about the time the whole sitemap of a
# thousand-page site does, however large the site grows.
SECTION_SIZE = 1000


class CountedPaginator(Paginator):
    """Paginator whose count is kept until a page changes (SITEMAP_TAG)."""

    def __init__(self, object_list, per_page, count_name: str):
        super().__init__(object_list, per_page)
        self.count_name = count_name

    @property
    def count(self) -> int:
        return cached_value(
            self.count_name, self.object_list.count, depends_on=[SITEMAP_TAG]
        )


class SectionedSitemap(Sitemap):
    limit = SECTION_SIZE

    @property
    def paginator(self) -> Paginator:
        site = self.get_wagtail_site()
        return CountedPaginator(
            self._items(), self.limit, f"sitemap:count:{site.pk}:{self.limit}"
        )


@require_GET
def sitemap(request):
    add_cache_tags(request, SITEMAP_TAG)
    pages = SectionedSitemap(request)
    sections = pages.paginator.num_pages
    if sections > 1 and "p" not in request.GET:
        here = absolute_url(request, reverse("sitemap"))
        return TemplateResponse(
            request,
            "sitemap_index.xml",
            {
                "sitemaps": [
                    SitemapIndexItem(f"{here}?p={n}") for n in range(1, sections + 1)
                ]
            },
            content_type="application/xml",
        )
    response = wagtail_sitemap(request, {"pages": pages})
    # As for feeds (articles/feeds.py): the newest lastmod is no validator, as it
    # does not move when a page is unpublished. The ETag and the page cache's
    # Last-Modified do.
    del response["Last-Modified"]
    return response


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")

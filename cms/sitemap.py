"""sitemap.xml (Wagtail's generator: live, public pages with lastmod) and robots.txt.

Both are cacheable; the sitemap carries the `sitemap` tag, which every page change
purges (cms/page_cache/signal_handlers.py).
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from .page_cache import add_cache_tags
from .page_cache.tags import SITEMAP_TAG
from .public_address import absolute_url


@require_GET
def sitemap(request):
    add_cache_tags(request, SITEMAP_TAG)
    response = wagtail_sitemap(request)
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

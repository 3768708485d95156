"""Conditional GET: ETag (and Last-Modified where set) answered with 304.

Django's ConditionalGetMiddleware, with two changes:

- HEAD is answered like GET. Our views render the same body for HEAD (the server
  drops it on the way out), so the ETag is the GET's, and a HEAD for a cached page
  is answered from the GET's entry with its stored ETag.
- A 304 keeps `X-Wagtail-Cache`, so the request log still says whether the page
  came from the cache.

It sits outside the page cache: a hit carries the ETag computed when the page was
stored (cms/page_cache/middleware.py) and is answered 304 without rendering or
hashing anything. For other responses the ETag is the MD5 of the body, so a purge
that changes a page changes its ETag, and a reader holding the old one gets the new
page. It sits inside CompressionMiddleware, so the ETag names the plain body.
"""

from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGet
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_http_date_safe
from wagtailcache.settings import wagtailcache_settings

PRECONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class ConditionalGetMiddleware(DjangoConditionalGet):
    def process_response(self, request, response):
        # Too late to refuse an unsafe request with a 412: leave those alone.
        if request.method not in ("GET", "HEAD"):
            return response
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)  # skips streaming and empty bodies
        if not any(header in request.META for header in PRECONDITIONS):
            return response  # nothing to compare: spare every request the parsing
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified") or "")
        if not (etag or last_modified):
            return response
        answer = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        cache_header = wagtailcache_settings.WAGTAIL_CACHE_HEADER
        if answer is not response and response.has_header(cache_header):
            answer[cache_header] = response[cache_header]
        return answer

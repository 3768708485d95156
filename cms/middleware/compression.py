"""Gzip text responses for clients that accept it, unless they may carry a secret
(the rule is in cms/compression.py).

It sits outside the page cache, so hits are compressed too, but a hit does not
pay for compressing: the page cache stores each page's gzipped body beside the
plain one and hands it over as `response.gzipped_content` (cms/page_cache/
middleware.py). The cache keeps one entry per URL holding both; the encoding is
chosen here, per request, so a client that did not ask for gzip never gets it.
Every response that could be compressed says `Vary: Accept-Encoding`, whether or
not this client's copy was, so shared caches keep the two apart.
"""

from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

from cms.compression import (
    gzip_bytes,
    request_may_be_compressed,
    response_may_be_compressed,
)

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not (
            request_may_be_compressed(request) and response_may_be_compressed(response)
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = getattr(response, "gzipped_content", None) or gzip_bytes(
            response.content
        )
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = "gzip"
        # The ETag names the plain body; the gzipped one is another representation,
        # so the validator becomes weak (RFC 9110 8.8.1), as Django's GZipMiddleware
        # does. If-None-Match compares weakly, so either form revalidates.
        etag = response.get("ETag", "")
        if etag.startswith('"'):
            response["ETag"] = "W/" + etag
        return response

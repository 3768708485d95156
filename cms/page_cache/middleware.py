"""PageCacheMiddleware: serve anonymous pages from the cache, store cacheable ones.

It sits right after SecurityMiddleware and WhiteNoise, so a hit skips sessions, CSRF,
authentication and the view: a hit costs about what the cheapest view costs. The
`X-Wagtail-Cache` header says hit, miss, skip or err (wagtail-cache's convention).
"""

import logging
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import (
    has_vary_header,
    patch_response_headers,
    set_response_etag,
)
from django.utils.http import http_date
from wagtail import hooks
from wagtailcache.cache import Status
from wagtailcache.settings import wagtailcache_settings

from cms.compression import gzip_bytes, response_may_be_compressed
from cms.edge.headers import add_edge_headers

from .derived import one_generation
from .keys import cache_key_for
from .store import BUSY, CLAIMED, PASS, CachedResponse, get_breaker, get_store
from .tags import path_tag, tags_of

logger = logging.getLogger("cms.page_cache")

NOT_FOUND = 404
CACHEABLE_STATUSES = {200, 301, 302, NOT_FOUND}
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")
# How often a request waiting for another's render looks for its copy.
FILL_POLL_SECONDS = 0.01
# Headers a hit must not replay: they describe one particular response.
NOT_REPLAYED = {
    "set-cookie",
    "x-request-id",
    wagtailcache_settings.WAGTAIL_CACHE_HEADER.lower(),
}


def _mark(response, status: Status) -> None:
    response[wagtailcache_settings.WAGTAIL_CACHE_HEADER] = status.value


def _hooked(name: str, subject, decision: bool) -> bool:
    """wagtail-cache's hooks may override a caching decision."""
    for hook in hooks.get_hooks(name):
        result = hook(subject, decision)
        if isinstance(result, bool):
            decision = result
    return decision


def response_is_cacheable(request, response) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    cacheable = (
        response.status_code in CACHEABLE_STATUSES
        and not response.streaming
        and not response.cookies
        and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
        and not has_vary_header(response, "*")
        and not getattr(request, "is_preview", False)
        and not getattr(getattr(request, "user", None), "is_authenticated", False)
    )
    return _hooked("is_response_cacheable", response, cacheable)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Derived values (cms.page_cache.derived) read the purge generation once
        # per request, when first needed: after any wait for another fill below.
        with one_generation():
            return self._respond(request)

    def _respond(self, request):
        if not settings.WAGTAIL_CACHE:
            return self.get_response(request)
        key = cache_key_for(request)
        if key is None or not _hooked("is_request_cacheable", request, True):
            response = self.get_response(request)
            _mark(response, Status.SKIP)
            return response

        breaker = get_breaker()
        if breaker.is_open:
            return self._serve_uncached(request, Status.ERROR)
        store = get_store()
        try:
            entry = store.get(key)
            generation = store.generation() if entry is None else None
        except Exception:
            breaker.trip()
            logger.warning(
                "page cache unreachable; serving uncached for %.0f s (trip %d)",
                breaker.pause_seconds,
                breaker.trips,
                exc_info=True,
            )
            return self._serve_uncached(request, Status.ERROR)

        if entry is not None:
            return self._replay(entry)
        return self._fill(request, store, key, generation)

    def _fill(self, request, store, key: str, generation: int):
        """Render a missing page once for everyone asking at the same moment: the
        first request claims it and renders; the others wait up to
        PAGE_CACHE_FILL_WAIT for its copy (a purged hot page costs one render,
        not one per reader), then render themselves."""
        claim = self._claim(store, key)
        if claim == BUSY:
            entry, claim = self._wait_for_fill(store, key)
            if entry is not None:
                return self._replay(entry)
        if claim == CLAIMED:
            # The claim may have been won just after another request stored the
            # page and released its own: look once more before rendering again.
            entry = self._stored_meanwhile(store, key)
            if entry is not None:
                self._end_fill(store, key, cacheable=True)
                return self._replay(entry)
        response = self.get_response(request)
        cacheable = response_is_cacheable(request, response)
        try:
            if not cacheable:
                _mark(response, Status.SKIP)
                return response
            self._store(request, response, key, generation)
            return response
        finally:
            if claim == CLAIMED:
                self._end_fill(store, key, cacheable)

    def _stored_meanwhile(self, store, key: str):
        try:
            return store.get(key)
        except Exception:
            return None

    def _claim(self, store, key: str) -> str:
        try:
            return store.claim_fill(key)
        except Exception:
            return PASS  # the store failed just now: render, nobody waits

    def _end_fill(self, store, key: str, cacheable: bool) -> None:
        try:
            store.end_fill(key, cacheable)
        except Exception:
            logger.warning("page cache fill claim not released", exc_info=True)

    def _wait_for_fill(self, store, key: str):
        """(the entry another request stored, None) or (None, how to render)."""
        deadline = time.monotonic() + settings.PAGE_CACHE_FILL_WAIT
        try:
            while time.monotonic() < deadline:
                time.sleep(FILL_POLL_SECONDS)
                entry = store.get(key)
                if entry is not None:
                    return entry, None
                claim = store.claim_fill(key)
                if claim != BUSY:  # released without a copy, or uncacheable
                    return None, claim
        except Exception:
            logger.warning("page cache unreachable while waiting", exc_info=True)
        return None, PASS

    def _serve_uncached(self, request, status: Status):
        response = self.get_response(request)
        _mark(response, status)
        return response

    def _replay(self, entry: CachedResponse):
        response = HttpResponse(entry.body, status=entry.status)
        for name, value in entry.headers:
            response[name] = value
        # CompressionMiddleware sends this to clients that accept gzip.
        response.gzipped_content = entry.gzipped
        if entry.stored_at:
            age = max(0, int(time.time() - entry.stored_at))
            add_edge_headers(response, entry.tags, age=age)
        _mark(response, Status.HIT)
        return response

    def _store(self, request, response, key: str, generation: int) -> None:
        timeout = settings.PAGE_CACHE_TIMEOUT
        # Browsers and proxies may keep pages briefly; our cache holds them until
        # purged or for PAGE_CACHE_TIMEOUT (404s: briefly and within a budget,
        # store.py).
        patch_response_headers(response, settings.PAGE_CACHE_BROWSER_MAX_AGE)
        # Validators travel with the entry, so a hit answers a conditional GET
        # without hashing the body (cms/middleware/conditional_get.py). The ETag
        # is the body's hash: a purge that changes the page changes it.
        # Last-Modified is when this copy was rendered, replacing any a view set:
        # a feed's or sitemap's newest item date does not move when an item is
        # unpublished or an author renamed, this does (every such change purges).
        if not response.has_header("ETag"):
            set_response_etag(response)
        response["Last-Modified"] = http_date()
        tags = set(tags_of(request))
        if response.status_code != 200:
            # A 404 or redirect must go when a page appears at this path.
            tags.add(path_tag(request.path))
        entry = CachedResponse(
            tags=tuple(sorted(tags)),
            stored_at=time.time(),
            status=response.status_code,
            headers=[
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_REPLAYED
            ],
            body=response.content,
            gzipped=(
                gzip_bytes(response.content)
                if response_may_be_compressed(response)
                else None
            ),
        )
        # This response goes out compressed with the same bytes as later hits.
        response.gzipped_content = entry.gzipped
        store = get_store()
        try:
            if store.generation() != generation:
                # A purge ran while this page rendered: its content may be stale.
                _mark(response, Status.SKIP)
                return
            if response.status_code == NOT_FOUND:
                stored = store.put_not_found(
                    key,
                    entry,
                    settings.PAGE_CACHE_NOT_FOUND_TIMEOUT,
                    tags,
                    settings.PAGE_CACHE_NOT_FOUND_MAX,
                )
            else:
                store.put(key, entry, timeout, tags)
                stored = True
        except Exception:
            breaker = get_breaker()
            breaker.trip()
            logger.warning(
                "page cache unreachable; response not stored (trip %d)",
                breaker.trips,
                exc_info=True,
            )
            _mark(response, Status.ERROR)
            return
        if stored:
            add_edge_headers(response, entry.tags, age=0)
        _mark(response, Status.MISS if stored else Status.SKIP)

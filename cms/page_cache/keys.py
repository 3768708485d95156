"""Which requests may use the page cache, and the key each one is stored under."""

import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from wagtailcache.settings import wagtailcache_settings

_ignored_params = [re.compile(p) for p in wagtailcache_settings.WAGTAIL_CACHE_IGNORE_QS]


def _is_ignored_param(name: str) -> bool:
    return any(pattern.match(name) for pattern in _ignored_params)


def cache_key_for(request: HttpRequest) -> str | None:
    """The key for `request`, or None when the request must bypass the cache.

    Bypassed: anything but GET/HEAD; excluded paths (admin, previews, documents);
    requests carrying a session cookie or credentials (possibly logged in: editors
    always see fresh pages and the userbar); query parameters outside the allow-list
    (each junk variant would otherwise be stored). Tracking parameters
    (WAGTAIL_CACHE_IGNORE_QS, e.g. utm_*) are left out of the key.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path
    if any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None

    params = []
    for name, values in request.GET.lists():
        if _is_ignored_param(name):
            continue
        if name not in settings.PAGE_CACHE_QUERY_PARAMS:
            return None
        params.extend((name, value) for value in values)
    query = urlencode(sorted(params))

    # HEAD is answered from the GET entry, as Django's cache middleware does.
    # get_host() validates the Host header against ALLOWED_HOSTS (400 if forged).
    url = f"{request.scheme}://{request.get_host()}{path}?{query}"
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()

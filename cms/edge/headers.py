"""The headers that carry a cached response's tags to each configured edge.

Varnish's xkey vmod reads `xkey`, Fastly `Surrogate-Key` (both space-separated),
Cloudflare `Cache-Tag` (comma-separated). Each edge strips its header before the
response reaches a reader (Varnish in deploy/varnish/presswagon.vcl).
"""

from collections.abc import Iterable

from django.conf import settings

from .tags import SITE_WIDE, edge_tags

# Every provider takes at least 16 KB of tags in one header; a response with more
# (hundreds of cards) is not kept at the edge rather than kept with tags missing.
MAX_HEADER_BYTES = 16 * 1024
NOT_FOUND = 404


def edge_configured() -> bool:
    return bool(settings.VARNISH_URLS or settings.CDN)


def edge_tag_headers(tags: Iterable[str]) -> dict[str, str] | None:
    """Header name -> value for every configured edge; None when the tags do not
    fit (the response must then not be kept at the edge)."""
    hashed = edge_tags({*tags, SITE_WIDE})
    headers = {}
    if settings.VARNISH_URLS:
        headers["xkey"] = " ".join(hashed)
    if settings.CDN == "fastly":
        headers["Surrogate-Key"] = " ".join(hashed)
    if settings.CDN == "cloudflare":
        headers["Cache-Tag"] = ",".join(hashed)
    if any(len(value) > MAX_HEADER_BYTES for value in headers.values()):
        return None
    return headers


def add_edge_headers(response, tags: Iterable[str], age: int) -> None:
    """Let the configured edges keep `response` (one the page cache keeps too,
    so never a private, logged-in, preview or cookie-setting one), tagged with
    `tags`, for as long as the page cache would, `age` seconds of it gone."""
    if not edge_configured():
        return
    headers = edge_tag_headers(tags)
    if headers is None:
        return
    shared_for = (
        settings.PAGE_CACHE_NOT_FOUND_TIMEOUT
        if response.status_code == NOT_FOUND
        else settings.EDGE_MAX_AGE
    )
    response["Cache-Control"] = (
        f"public, max-age={settings.PAGE_CACHE_BROWSER_MAX_AGE}, "
        f"s-maxage={shared_for}, "
        f"stale-while-revalidate={settings.EDGE_STALE_WHILE_REVALIDATE}"
    )
    if age:
        response["Age"] = str(age)
    for name, value in headers.items():
        response[name] = value

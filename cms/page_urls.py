"""Page URLs in a render: each built once per request, and the site they are
relative to."""

from django.http import HttpRequest
from wagtail.models import Site


def page_url(page, request: HttpRequest | None = None) -> str:
    """`page.get_url(request)`, remembered on the request: an article links to its
    index for each tag, the byline and the breadcrumbs, and each get_url reverses
    Wagtail's serve URL again. Keyed on the page's path, so a preview's moved
    draft is not given the live page's URL."""
    if request is None:
        return page.get_url()
    urls = request.__dict__.setdefault("_page_urls", {})
    key = (page.pk, page.url_path)
    if key not in urls:
        urls[key] = page.get_url(request)
    return urls[key]


def url_site_id(request: HttpRequest | None) -> int | None:
    """The id of the site the request's page URLs are relative to: HTML holding
    page links (a card, the most-read list) is kept once per site."""
    site = Site.find_for_request(request) if request is not None else None
    return getattr(site, "pk", None)

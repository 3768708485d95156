"""A page's URL, built once per request however many links a render makes to it."""

from django.http import HttpRequest


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

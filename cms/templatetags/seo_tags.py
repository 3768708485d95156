"""Template tags for search engines and link previews."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cms.public_address import absolute_url

register = template.Library()

# As Django's json_script does: nothing in the data can close the <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's one address: no query string except a page number past the first."""
    request = context.get("request")
    if request is None:
        return ""
    url = absolute_url(request, request.path)
    page = request.GET.get("page")
    if page and page != "1" and page.isdigit():
        url += f"?page={page}"
    return url


@register.simple_tag
def json_ld(data: dict) -> str:
    """A <script type="application/ld+json"> block (data, never executed: the
    Content-Security-Policy does not apply to it)."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload),  # noqa: S308 - escaped above
    )

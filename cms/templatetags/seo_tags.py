"""Template tags for search engines and link previews."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cms import seo

register = template.Library()

# As Django's json_script does: nothing in the data can close the <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context.get("request")
    return seo.canonical_url(request) if request is not None else ""


@register.inclusion_tag("components/page_meta.html", takes_context=True)
def page_meta(context, title: str | None = None, noindex: bool = False) -> dict:
    """The <head>'s title, description, Open Graph / Twitter tags and JSON-LD,
    from the page type's `page_meta` (cms/seo.py), else the site's defaults.
    Views' own pages (search, respond, 404, previews) pass a `title` and are kept
    out of search engines with `noindex`."""
    request = context.get("request")
    page = context.get("page")
    meta = context.get("page_meta")
    if title is not None:
        meta = seo.PageMeta(title=title, description="")
    elif meta is None:
        title = getattr(page, "seo_title", "") or getattr(page, "title", "")
        description = getattr(page, "search_description", "") or ""
        meta = seo.PageMeta(title=title, description=description)
    description = meta.description or seo.default_description(request)
    # A draft opened through a secret link (sharing/): never indexed or
    # followed, and no canonical or og:url that would repeat the secret URL.
    secret = getattr(request, "share_link", None) is not None
    return {
        "meta": meta,
        "document_title": seo.document_title(meta.title, request),
        "og_title": meta.title or seo.site_name(request),
        "description": description,
        "image": meta.image or seo.default_image(request),
        "site_name": seo.site_name(request),
        "canonical": "" if secret or request is None else seo.canonical_url(request),
        "noindex": noindex or secret,
        "nofollow": secret,
    }


@register.simple_tag
def json_ld(data: dict) -> str:
    """A <script type="application/ld+json"> block (data, never executed: the
    Content-Security-Policy does not apply to it)."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload),  # noqa: S308 - escaped above
    )

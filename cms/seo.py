"""What every public page tells search engines and link previews.

A page type puts a `PageMeta` in its context as `page_meta`; base.html renders the
title, meta description, Open Graph / Twitter tags and JSON-LD from it
(templates/components/page_meta.html). Pages without one (search, the respond
page, 404) get the site's defaults. The schema.org builders here know no page
type: page types pass names and URLs.
"""

from dataclasses import dataclass, field

from django.conf import settings
from wagtail.models import Site

from .public_address import absolute_url
from .static_urls import static_url

# A picture for link previews of pages that have none of their own
# (static/img/social-default.png), and the publisher's logo for schema.org.
DEFAULT_IMAGE = ("img/social-default.png", 1200, 630)
LOGO = ("img/publisher-logo.png", 512, 512)


@dataclass
class SocialImage:
    url: str  # absolute
    width: int
    height: int
    alt: str = ""


@dataclass
class PageMeta:
    title: str  # without the site name; base.html adds it
    description: str
    image: SocialImage | None = None  # None: the site's default picture
    og_type: str = "website"
    structured_data: list[dict] = field(default_factory=list)


def site_name(request) -> str:
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def default_description(request) -> str:
    return settings.SITE_DESCRIPTION or site_name(request)


def default_image(request) -> SocialImage:
    path, width, height = DEFAULT_IMAGE
    return SocialImage(
        absolute_url(request, static_url(path)), width, height, site_name(request)
    )


def document_title(title: str, request) -> str:
    """`Title · Site`, or the site's name alone where the title is that name (the
    home page was "Presswagon · Presswagon")."""
    name = site_name(request)
    return name if not title or title == name else f"{title} · {name}"


def organization(request) -> dict:
    path, width, height = LOGO
    return {
        "@type": "Organization",
        "name": site_name(request),
        "url": absolute_url(request, "/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(request, static_url(path)),
            "width": width,
            "height": height,
        },
    }


def website(request, search_path: str) -> dict:
    """WebSite with a SearchAction: search engines may offer the site's search."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_name(request),
        "url": absolute_url(request, "/"),
        "publisher": organization(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute_url(request, search_path) + "?q={query}",
            },
            "query-input": "required name=query",
        },
    }


def breadcrumbs(request, trail: list[tuple[str, str]]) -> dict:
    """BreadcrumbList from (name, path) pairs, outermost first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(request, path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def canonical_url(request) -> str:
    """The page's one address: no query string except a page number past the first."""
    url = absolute_url(request, request.path)
    page = request.GET.get("page")
    if page and page != "1" and page.isdigit():
        url += f"?page={page}"
    return url


def collection_page(
    request, name: str, description: str, item_paths: list[str]
) -> dict:
    """CollectionPage whose main entity is the ItemList of the pages it lists."""
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": canonical_url(request),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": absolute_url(request, path),
                }
                for position, path in enumerate(item_paths, start=1)
            ],
        },
    }

"""What an article tells search engines and link previews (Open Graph, Twitter
cards, JSON-LD NewsArticle), built from the article and its social image."""

from django.conf import settings
from wagtail.models import Site

from cms.public_address import absolute_url

SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"


def publisher_name(request) -> str:
    site = Site.find_for_request(request)
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def social_image(article):
    """The 1200x630 JPEG rendition link previews use, or None."""
    image = article.listing_image
    return image.get_rendition(SOCIAL_IMAGE_SPEC) if image else None


def news_article(article, request, image=None, author_url: str = "") -> dict:
    """schema.org NewsArticle for the article's page."""
    url = absolute_url(request, article.url)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.meta_description,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "publisher": {"@type": "Organization", "name": publisher_name(request)},
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.updated_at:
        data["dateModified"] = article.updated_at.isoformat()
    if image is not None:
        data["image"] = [absolute_url(request, image.url)]
    if article.author:
        data["author"] = [
            {
                "@type": "Person",
                "name": article.author.display_name,
                "url": absolute_url(request, author_url) if author_url else url,
            }
        ]
    return data

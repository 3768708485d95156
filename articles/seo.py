"""What an article and the article listings tell search engines and link previews
(cms/seo.py renders it): NewsArticle with its picture in the three shapes search
engines ask for, CollectionPage + ItemList for listings, breadcrumbs for both."""

from dataclasses import dataclass

from wagtail.images.models import Filter

from cms import seo
from cms.image_identity import image_version_name
from cms.page_cache.derived import cached_value
from cms.page_urls import page_url
from cms.public_address import absolute_url
from cms.seo import PageMeta, SocialImage

# Link previews use 1200x630; schema.org images in 16:9, 4:3 and 1:1, each at
# least 1200 px wide, as Google's article guidelines recommend.
SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"
STRUCTURED_IMAGE_SPECS = (
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
)


# Built once: a Filter parses its spec on first use and keeps the result.
RENDITION_FILTERS = [
    Filter(spec) for spec in (SOCIAL_IMAGE_SPEC, *STRUCTURED_IMAGE_SPECS)
]


@dataclass(frozen=True)
class RenditionLink:
    url: str
    width: int
    height: int


def article_renditions(article) -> dict[str, RenditionLink]:
    """The article's social and structured-data renditions by spec. The same
    for every page showing the image: kept in the low-level cache until the next
    content change (editing an image purges), keyed on its file and focal point."""
    image = article.listing_image
    if image is None:
        return {}
    return cached_value(
        image_version_name("renditions", image, [f.spec for f in RENDITION_FILTERS]),
        lambda: {
            spec: RenditionLink(rendition.url, rendition.width, rendition.height)
            for spec, rendition in image.get_renditions(*RENDITION_FILTERS).items()
        },
    )


def news_article(article, request, renditions: dict, byline=()) -> dict:
    """schema.org NewsArticle for the article's page; `byline` is its authors in
    order, each with their archive's URL (ArticlePage.get_context)."""
    url = absolute_url(request, page_url(article, request))
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.meta_description,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "publisher": seo.organization(request),
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.updated_at:
        data["dateModified"] = article.updated_at.isoformat()
    images = [renditions[spec] for spec in STRUCTURED_IMAGE_SPECS if spec in renditions]
    if images:
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": absolute_url(request, rendition.url),
                "width": rendition.width,
                "height": rendition.height,
            }
            for rendition in images
        ]
    if byline:
        data["author"] = [
            {
                "@type": "Person",
                "name": person.display_name,
                "url": absolute_url(request, author_url) if author_url else url,
            }
            for person, author_url in byline
        ]
    return data


def article_meta(article, request, index, byline) -> PageMeta:
    renditions = article_renditions(article)
    social = renditions.get(SOCIAL_IMAGE_SPEC)
    image = None
    if social is not None:
        image = SocialImage(
            absolute_url(request, social.url),
            social.width,
            social.height,
            article.title,
        )
    title = article.seo_title or article.title
    return PageMeta(
        title=title,
        description=article.meta_description,
        image=image,
        og_type="article",
        structured_data=[
            news_article(article, request, renditions, byline),
            seo.breadcrumbs(
                request,
                [
                    ("Home", "/"),
                    (index.title, page_url(index, request)),
                    (title, page_url(article, request)),
                ],
            ),
        ],
    )


def listing_meta(request, index, title: str, description: str, articles, crumb=None):
    """An article listing (the index, a tag or author archive, page N of one)."""
    trail = [("Home", "/"), (index.title, page_url(index, request))]
    if crumb is not None:
        trail.append(crumb)
    return PageMeta(
        title=title,
        description=description,
        structured_data=[
            seo.collection_page(
                request,
                title,
                description,
                [article.get_url(request) for article in articles],
            ),
            seo.breadcrumbs(request, trail),
        ],
    )

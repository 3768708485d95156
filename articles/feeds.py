"""RSS 2.0 and Atom feeds of published articles: all of them, per tag, per author.

Each entry has the full summary (intro), author, publication and update dates, the
tags as categories and the featured image (1200x630 JPEG) as an enclosure. Feeds
are served through the page cache and carry the `articles:feeds` tag, which every
article change purges.
"""

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.core.cache import caches
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from taggit.models import Tag

from cms.page_cache import add_cache_tags, page_tag
from cms.public_address import absolute_url
from cms.seo import site_name

from . import cache_tags
from .bylines import byline_names
from .coauthors import CoAuthorRows
from .models import ArticleIndexPage, ArticlePage

ENTRIES = 20
ENCLOSURE_SPEC = "fill-1200x630|format-jpeg"


def enclosure_length(rendition) -> int:
    """The rendition's size in bytes, remembered by file name: on object storage
    asking is a request to the bucket, per entry, per feed rendered."""
    key = f"feeds:enclosure-length:{rendition.file.name}"
    length = caches["renditions"].get(key)
    if length is None:
        length = rendition.file.size
        caches["renditions"].set(key, length)
    return length


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        add_cache_tags(request, cache_tags.FEEDS)
        response = super().__call__(request, *args, **kwargs)
        # Django dates the feed by its newest entry, which does not move when an
        # entry is unpublished or an author renamed: If-Modified-Since would then
        # keep a stale feed. The ETag (the body's hash) and the page cache's
        # Last-Modified (when this copy was rendered) change with every edit.
        del response["Last-Modified"]
        return response

    def get_object(self, request, tag_slug=None, username=None):
        if tag_slug is not None:
            return get_object_or_404(Tag, slug=tag_slug)
        if username is not None:
            # As the author archive: a feed only for someone with a published
            # article, so feeds cannot confirm which accounts exist.
            author = get_object_or_404(get_user_model(), username=username)
            if not ArticlePage.objects.published().by_author(author).exists():
                raise Http404("No published articles by this author.")
            return author
        return None

    def title(self, subject) -> str:
        publisher = site_name(self.request)
        if isinstance(subject, Tag):
            return f"{publisher}: articles tagged {subject.name}"
        if subject is not None:
            return f"{publisher}: articles by {subject.display_name}"
        return f"{publisher}: latest articles"

    def description(self, subject) -> str:
        return self.title(subject)

    # Django's Feed makes relative links absolute with the request's host; absolute
    # ones it keeps, so every link here is built on the public address.
    def link(self, subject) -> str:
        return absolute_url(self.request, self.archive_path(subject))

    def feed_url(self, subject) -> str:
        return absolute_url(self.request, self.request.path)

    def archive_path(self, subject) -> str:
        index = ArticleIndexPage.objects.live().first()
        if index is None:
            return "/"
        if isinstance(subject, Tag):
            return index.tag_archive_url(subject.slug)
        if subject is not None:
            return index.author_archive_url(subject.username)
        return index.url

    def items(self, subject) -> list:
        articles = (
            ArticlePage.objects.published()
            .newest_first()
            .for_listing()
            # The bylines in the articles' query (articles/coauthors.py).
            .annotate(coauthor_rows=CoAuthorRows())
        )
        if isinstance(subject, Tag):
            articles = articles.tagged(subject.slug)
        elif subject is not None:
            articles = articles.by_author(subject)
        entries = list(articles[:ENTRIES])
        add_cache_tags(self.request, *(page_tag(article.pk) for article in entries))
        return entries

    def item_title(self, article) -> str:
        return article.title

    def item_description(self, article) -> str:
        return article.intro

    def item_link(self, article) -> str:
        return absolute_url(self.request, article.get_url(request=self.request))

    def item_author_name(self, article) -> str | None:
        # RSS and Atom take one author name: the whole byline, as the page says it.
        return byline_names(article.authors) or None

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article) -> list[str]:
        return [tag.name for tag in article.tags.all()]

    def item_enclosures(self, article) -> list[Enclosure]:
        if article.featured_image is None:
            return []
        rendition = article.featured_image.get_rendition(ENCLOSURE_SPEC)
        return [
            Enclosure(
                url=absolute_url(self.request, rendition.url),
                length=str(enclosure_length(rendition)),
                mime_type="image/jpeg",
            )
        ]


class ArticleAtomFeed(ArticleFeed):
    feed_type = Atom1Feed
    subtitle = ArticleFeed.description

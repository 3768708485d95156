"""Public reads of articles for the other apps (home, search): what they show,
with its page-cache tags recorded, so they never touch articles' caching."""

from dataclasses import dataclass, field

from django.db.models import Max
from django.http import HttpRequest
from wagtail.models import Page

from cms.page_cache import add_cache_tags, page_tag
from cms.page_cache.derived import cached_ids
from engagement.cache_tags import POPULAR
from engagement.popular import popular_ids
from engagement.selectors import popular_pages

from . import cache_tags
from .models import ArticleIndexPage, ArticlePage


@dataclass
class FrontPage:
    featured: list[ArticlePage] = field(default_factory=list)
    latest: list[ArticlePage] = field(default_factory=list)
    most_read: list[Page] = field(default_factory=list)
    index: ArticleIndexPage | None = None


def front_page(
    request: HttpRequest, home: Page, featured: int = 3, latest: int = 10
) -> FrontPage:
    """Featured, latest and most-read articles for a front page, as cards.

    Which articles the lists show comes from the low-level cache (expiring with
    every purge); one query then loads them for their cards. The response is
    tagged so a change to any of them, or to the lists, purges it.
    """

    def published_ids():
        # Built only on a cache miss: published() queries view restrictions.
        return (
            ArticlePage.objects.published().newest_first().values_list("pk", flat=True)
        )

    featured_ids = cached_ids(
        "articles:front:featured",
        lambda: published_ids().featured()[:featured],
        depends_on=[cache_tags.LATEST],
    )
    latest_ids = cached_ids(
        "articles:front:latest",
        lambda: published_ids().exclude(pk__in=featured_ids)[:latest],
        depends_on=[cache_tags.LATEST],
    )
    cards = ArticlePage.objects.live().filter(
        pk__in={*featured_ids, *latest_ids, *popular_ids()}
    )
    by_id = {article.pk: article for article in cards.for_listing()}
    most_read = popular_pages(loaded=by_id)
    add_cache_tags(
        request,
        cache_tags.LATEST,
        POPULAR,
        *(page_tag(pk) for pk in {*by_id, *(page.pk for page in most_read)}),
    )
    return FrontPage(
        featured=[by_id[pk] for pk in featured_ids if pk in by_id],
        latest=[by_id[pk] for pk in latest_ids if pk in by_id],
        most_read=most_read,
        index=ArticleIndexPage.objects.child_of(home).live().first(),
    )


def latest_article_change():
    """When the newest change to a published article was made (None: none yet)."""
    return ArticlePage.objects.published().aggregate(at=Max("updated_at"))["at"]

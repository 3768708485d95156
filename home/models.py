from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from articles import cache_tags
from articles.listing_cache import cached_ids
from articles.models import ArticleIndexPage, ArticlePage
from articles.popular import popular_ids
from cms.page_cache import add_cache_tags, page_tag
from cms.page_cache.pages import PageCacheMixin
from cms.pages import READ_ONLY_METHODS
from cms.routing import TypedChildRoutingMixin

FEATURED_COUNT = 3
LATEST_COUNT = 10


class HomePage(PageCacheMixin, TypedChildRoutingMixin, Page):
    """The site root: the front page of the publication."""

    routed_child_model = "articles.ArticleIndexPage"
    allowed_http_methods = READ_ONLY_METHODS

    strapline = models.CharField(
        _("strapline"),
        max_length=200,
        blank=True,
        help_text=_("One line under the site name, e.g. what the publication covers."),
    )

    content_panels = [*Page.content_panels, FieldPanel("strapline")]

    # One home page per site, directly under the tree root.
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        # Which articles the lists show comes from the low-level cache (expiring
        # with every purge); one query then loads them for their cards.
        def published_ids():
            # Built only on a cache miss: published() queries view restrictions.
            return (
                ArticlePage.objects.published()
                .newest_first()
                .values_list("pk", flat=True)
            )

        featured_ids = cached_ids(
            "home:featured", lambda: published_ids().featured()[:FEATURED_COUNT]
        )
        latest_ids = cached_ids(
            "home:latest",
            lambda: published_ids().exclude(pk__in=featured_ids)[:LATEST_COUNT],
        )
        most_read_ids = popular_ids()
        cards = ArticlePage.objects.live().filter(
            pk__in={*featured_ids, *latest_ids, *most_read_ids}
        )
        by_id = {article.pk: article for article in cards.for_listing()}
        context["featured_articles"] = [by_id[pk] for pk in featured_ids if pk in by_id]
        context["latest_articles"] = [by_id[pk] for pk in latest_ids if pk in by_id]
        context["popular_articles"] = [by_id[pk] for pk in most_read_ids if pk in by_id]
        context["article_index"] = (
            ArticleIndexPage.objects.child_of(self).live().first()
        )
        add_cache_tags(
            request,
            cache_tags.LATEST,
            cache_tags.POPULAR,
            *(page_tag(pk) for pk in by_id),
        )
        return context

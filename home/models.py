from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from articles import cache_tags
from articles.models import ArticleIndexPage, ArticlePage
from cms.page_cache import add_cache_tags, page_tag
from cms.page_cache.pages import PageCacheMixin
from cms.routing import TypedChildRoutingMixin

FEATURED_COUNT = 3
LATEST_COUNT = 10


class HomePage(PageCacheMixin, TypedChildRoutingMixin, Page):
    """The site root: the front page of the publication."""

    routed_child_model = "articles.ArticleIndexPage"

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
        published = ArticlePage.objects.published().for_listing().newest_first()
        featured = list(published.featured()[:FEATURED_COUNT])
        context["featured_articles"] = featured
        context["latest_articles"] = published.exclude(
            pk__in=[article.pk for article in featured]
        )[:LATEST_COUNT]
        context["article_index"] = (
            ArticleIndexPage.objects.child_of(self).live().first()
        )
        shown = [*featured, *context["latest_articles"]]
        add_cache_tags(
            request, cache_tags.LATEST, *(page_tag(article.pk) for article in shown)
        )
        return context

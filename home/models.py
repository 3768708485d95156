from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from articles.selectors import front_page, latest_article_change
from cms import seo
from cms.page_cache.pages import PageCacheMixin
from cms.page_forms import PageForm
from cms.pages import READ_ONLY_METHODS
from cms.routing import TypedChildRoutingMixin
from cms.seo import PageMeta

FEATURED_COUNT = 3
LATEST_COUNT = 10


class HomePage(PageCacheMixin, TypedChildRoutingMixin, Page):
    """The site root: the front page of the publication."""

    routed_child_model = "articles.ArticleIndexPage"
    allowed_http_methods = READ_ONLY_METHODS
    base_form_class = PageForm

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

    def get_sitemap_urls(self, request=None):
        """The front page changes whenever an article does: dated by the latest."""
        (entry,) = super().get_sitemap_urls(request)
        latest = latest_article_change()
        dates = [d for d in (entry["lastmod"], latest) if d is not None]
        return [{**entry, "lastmod": max(dates) if dates else None}]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        front = front_page(
            request, home=self, featured=FEATURED_COUNT, latest=LATEST_COUNT
        )
        context["featured_articles"] = front.featured
        context["latest_articles"] = front.latest
        context["popular_articles"] = front.most_read
        context["article_index"] = front.index
        context["page_meta"] = PageMeta(
            title=self.seo_title or self.title,
            description=self.search_description or self.strapline,
            structured_data=[seo.website(request, reverse("search:search"))],
        )
        return context

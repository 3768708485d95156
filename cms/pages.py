"""The abstract base every editorial page type builds on.

A new page type (a review, an interview) subclasses EditorialPage and gets the intro,
featured image, StreamField body, SEO fields, listing image and reading time, with the
admin tabs already arranged. See docs/page-types.md.
"""

from http import HTTPMethod

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import EditorialStreamBlock
from .page_cache.pages import PageCacheMixin
from .page_forms import PageForm
from .page_permissions import LeafPagePermissionTester
from .reading_time import reading_minutes

INTRO_MAX_LENGTH = 300


# Reading pages answer GET and HEAD only: anything else is a 405, never a render.
READ_ONLY_METHODS = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]


class EditorialPage(PageCacheMixin, Page):
    intro = models.TextField(
        _("intro"),
        max_length=INTRO_MAX_LENGTH,
        help_text=_(
            "A plain-text summary of one or two sentences, shown in listings "
            "and used as the meta description when none is set."
        ),
    )
    featured_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("featured image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the page and on listing cards."),
    )
    body = StreamField(EditorialStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("featured_image"),
        FieldPanel("body"),
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
            ],
            heading=_("For search engines"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    allowed_http_methods = READ_ONLY_METHODS
    base_form_class = PageForm

    def permissions_for_user(self, user):
        # Listings ask each row whether it may be deleted (cms/page_permissions.py).
        return LeafPagePermissionTester(user, self)

    class Meta:
        abstract = True

    @property
    def listing_image(self):
        """The image listing cards and social previews use."""
        return self.featured_image

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro

    @cached_property
    def reading_minutes(self) -> int:
        return reading_minutes(self.body, self.title, self.intro)

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site root: the front page of the publication."""

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

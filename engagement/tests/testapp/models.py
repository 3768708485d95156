"""Test-only page types: what a developer writes to give a page type engagement."""

from django.db import models
from wagtail.models import Page

from cms.page_forms import PageForm
from engagement.pages import ReaderEngagement


class NotePage(ReaderEngagement, Page):
    """A short note readers may comment on and are counted reading; not rated."""

    accepts_ratings = False
    base_form_class = PageForm  # every page type refuses stale edits (cms.E001)
    text = models.TextField(blank=True)


class PlainPage(Page):
    """A page type that does not opt in."""

    base_form_class = PageForm

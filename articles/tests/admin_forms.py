"""POST data for the Wagtail admin's article form, as the browser would send it."""

import re

from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

# Long enough for the SEO description check (50 to 160 characters).
COMPLETE_INTRO = (
    "What this article is about, in a sentence that search engines can show."
)


COMPLETE_SEARCH_DESCRIPTION = (
    "What the article says, in the words a search engine shows under its title."
)


def described_image():
    """A featured image with alt text, as the pre-publish checks require."""
    from wagtail.images import get_image_model

    from cms.factories import ImageFactory

    image = get_image_model().objects.filter(title="Harbour at dawn").first()
    return image or ImageFactory(
        title="Harbour at dawn", description="Fishing boats in the harbour at dawn"
    )


def article_form_data(action: str | None = None, **fields) -> dict:
    """Form data for an ArticlePage; `action` is e.g. "publish" or "submit".

    A submitted or published article passes the pre-publish checks
    (articles/prepublish_checks.py) unless `fields` say otherwise: it gets an
    intro and a search description of useful lengths, a tag and a described
    featured image."""
    data = {
        "title": "A fresh article",
        "slug": "a-fresh-article",
        "intro": COMPLETE_INTRO,
        "author": "",
        "featured_image": described_image().pk if action else "",
        "body": streamfield([("paragraph", rich_text("<p>The body text.</p>"))]),
        "tags": "news",
        "comments": inline_formset([]),
        "coauthors": inline_formset([]),
        "seo_title": "",
        # Set, the intro may be any length the test needs.
        "search_description": COMPLETE_SEARCH_DESCRIPTION if action else "",
        "published_at": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(fields)
    form = nested_form_data(data)
    if action:
        form[f"action-{action}"] = action
    return form


def add_article_url(index) -> str:
    return reverse("wagtailadmin_pages:add", args=["articles", "articlepage", index.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def loaded_revision(edit_page_response) -> dict:
    """The hidden inputs naming the revision an edit form was loaded from, as the
    browser sends them back with the form."""
    html = edit_page_response.content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }

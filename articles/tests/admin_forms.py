"""POST data for the Wagtail admin's article form, as the browser would send it."""

import re

from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)


def article_form_data(action: str | None = None, **fields) -> dict:
    """Form data for an ArticlePage; `action` is e.g. "publish" or "submit"."""
    data = {
        "title": "A fresh article",
        "slug": "a-fresh-article",
        "intro": "What this article is about.",
        "author": "",
        "featured_image": "",
        "body": streamfield([("paragraph", rich_text("<p>The body text.</p>"))]),
        "tags": "news",
        "comments": inline_formset([]),
        "coauthors": inline_formset([]),
        "seo_title": "",
        "search_description": "",
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

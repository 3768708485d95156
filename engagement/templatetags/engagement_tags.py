"""Template tags any page type's template uses to show reader engagement.

    {% load engagement_tags %}
    <article {% view_beacon_attribute page %}>
    {% rating_for page %}
    {% comments_for page %}
    {% most_read pages %}
    {% most_read_list exclude=page %}

Each renders nothing for a page type that does not opt in, and nothing for a
never-saved preview (there is nothing to rate or comment on yet).
"""

import functools

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms.page_cache import page_tag
from cms.page_cache.derived import cached_fragment
from cms.page_urls import url_site_id

from ..cache_tags import POPULAR
from ..forms import CommentForm
from ..pages import ReaderEngagement
from ..popular import popular_ids
from ..selectors import approved_comments, engagement_figures, popular_pages

register = template.Library()


def _takes(page, capability_attribute: str) -> bool:
    return (
        isinstance(page, ReaderEngagement)
        and page.pk is not None
        and getattr(page, capability_attribute)
    )


COMMENTS_TEMPLATE = "engagement/includes/comments.html"
RATING_TEMPLATE = "engagement/includes/rating.html"


def _page_section(page, capability: str, template: str, data) -> str:
    """A page's comments or rating section ("" where the page type does not take
    them), rendered once per content change: it shows only data already kept
    until then (selectors.approved_comments and engagement_figures; showing or
    hiding a comment and rating both purge the page), and no reader's own state
    (the forms carry no CSRF token). Per language, for the labels."""
    if not _takes(page, capability):
        return ""
    name = f"{template}:{page.pk}:{get_language()}"
    return mark_safe(  # noqa: S308 - rendered by the template engine, escaped there
        cached_fragment(
            name,
            lambda: render_to_string(template, {"page": page, **data()}),
            depends_on=[page_tag(page.pk)],
        )
    )


@register.simple_tag
def comments_for(page) -> str:
    """Approved comments, oldest first, and the comment form. One query, none
    when the page's figures say it has no comment shown."""

    def data() -> dict:
        comments = approved_comments(page)
        return {
            "comments": comments,
            "comment_count": len(comments),
            "comment_fields": empty_comment_fields(get_language()),
        }

    return _page_section(page, "accepts_comments", COMMENTS_TEMPLATE, data)


@functools.cache
def _empty_comment_fields(language: str) -> str:
    return render_to_string(
        "engagement/includes/comment_fields.html",
        {"form": CommentForm(), "heading_level": 3},
    )


def empty_comment_fields(language: str) -> str:
    """The blank comment form's fields, the same on every page: Django renders
    each widget through a template, which is most of a page's form cost, so the
    HTML is built once per language and process (afresh under DEBUG, where
    templates are edited)."""
    if settings.DEBUG:
        return _empty_comment_fields.__wrapped__(language)
    return _empty_comment_fields(language)


@register.simple_tag
def rating_for(page) -> str:
    """The rating summary (selectors.engagement_figures) and the buttons."""

    def data() -> dict:
        figures = engagement_figures(page)
        return {
            "rating_count": figures["rating_count"],
            "avg_rating": figures["avg_rating"],
        }

    return _page_section(page, "accepts_ratings", RATING_TEMPLATE, data)


# A page id no page has, reversed in its place once: Django's reverse() matches
# every pattern anew, a tenth of a millisecond for each reader URL on each render.
PLACEHOLDER_ID = 10**17 + 1


@functools.cache
def _reader_url_pattern(name: str, script_prefix: str) -> str:
    return reverse(name, args=[PLACEHOLDER_ID])


def reader_url(name: str, page_id: int) -> str:
    """reverse(name, args=[page_id]) for the reader endpoints (engagement/urls.py)."""
    pattern = _reader_url_pattern(name, get_script_prefix())
    return pattern.replace(str(PLACEHOLDER_ID), str(page_id))


@register.simple_tag(takes_context=True)
def view_beacon_attribute(context, page) -> str:
    """`data-view-beacon="<url>"` for static/js/reader.js, on pages that count views
    or take ratings (the beacon gives the reader the token a rating needs). Not
    on a preview (the admin's, a shared draft's): it is nobody reading the page."""
    if getattr(context.get("request"), "is_preview", False):
        return ""
    if not (_takes(page, "counts_views") or _takes(page, "accepts_ratings")):
        return ""
    return format_html('data-view-beacon="{}"', reader_url("engagement:view", page.pk))


@register.inclusion_tag("engagement/popular_list.html")
def most_read(pages) -> dict:
    """The most-read list (pages from engagement.popular, loaded by the caller)."""
    return {"popular_pages": pages}


@register.simple_tag(takes_context=True)
def most_read_list(context, exclude=None) -> str:
    """The most-read list without `exclude` (the page showing it), rendered once
    per content change and shared by every page that shows the same list: only
    the few pages ranked in it see a list of their own. The caller tags the
    response (cache_tags.POPULAR and the ids of selectors.popular_page_ids)."""
    request = context.get("request")
    excluded = getattr(exclude, "pk", exclude)
    ids = popular_ids()
    variant = excluded if excluded in ids else "all"
    name = f"engagement:most-read:{url_site_id(request)}:{variant}"
    return mark_safe(  # noqa: S308 - rendered by the template engine, escaped there
        cached_fragment(
            name,
            lambda: render_to_string(
                "engagement/popular_list.html",
                {"popular_pages": popular_pages(exclude=excluded)},
                request=request,
            ),
            # The ranking, and the titles and URLs of the pages in it.
            depends_on=[POPULAR, *(page_tag(pk) for pk in ids)],
        )
    )

"""Template tags any page type's template uses to show reader engagement.

    {% load engagement_tags %}
    <article {% view_beacon_attribute page %}>
    {% rating_for page %}
    {% comments_for page %}
    {% most_read pages %}

Each renders nothing for a page type that does not opt in, and nothing for a
never-saved preview (there is nothing to rate or comment on yet).
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..forms import CommentForm
from ..pages import ReaderEngagement
from ..selectors import approved_comments

register = template.Library()


def _takes(page, capability_attribute: str) -> bool:
    return (
        isinstance(page, ReaderEngagement)
        and page.pk is not None
        and getattr(page, capability_attribute)
    )


@register.inclusion_tag("engagement/includes/comments.html")
def comments_for(page) -> dict:
    """Approved comments, oldest first, and the comment form. One query, none
    when an annotated comment_count (selectors.with_engagement) is 0."""
    if not _takes(page, "accepts_comments"):
        return {"shown": False}
    comments = approved_comments(page)
    return {
        "shown": True,
        "page": page,
        "comments": comments,
        "comment_count": len(comments),
        "comment_form": CommentForm(),
    }


@register.inclusion_tag("engagement/includes/rating.html")
def rating_for(page) -> dict:
    """The rating summary (from the annotated figures) and the rating buttons."""
    if not _takes(page, "accepts_ratings"):
        return {"shown": False}
    return {
        "shown": True,
        "page": page,
        "rating_count": getattr(page, "rating_count", 0),
        "avg_rating": getattr(page, "avg_rating", None),
    }


@register.simple_tag
def view_beacon_attribute(page) -> str:
    """`data-view-beacon="<url>"` for static/js/reader.js, on pages that count views
    or take ratings (the beacon gives the reader the token a rating needs)."""
    if not (_takes(page, "counts_views") or _takes(page, "accepts_ratings")):
        return ""
    return format_html(
        'data-view-beacon="{}"', reverse("engagement:view", args=[page.pk])
    )


@register.inclusion_tag("engagement/popular_list.html")
def most_read(pages) -> dict:
    """The most-read list (pages from engagement.popular, loaded by the caller)."""
    return {"popular_pages": pages}

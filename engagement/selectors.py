"""Public reads of reader engagement for pages and listings (what page types and
templates call; they never reach into the models' tables themselves)."""

from django.db import models
from django.db.models import Avg, Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page

from cms.page_cache import page_tag
from cms.page_cache.derived import cached_value

from .models import Comment, CommentStatus, Rating
from .popular import popular_ids


def _per_page(model: type[models.Model], aggregate, **filters) -> Subquery:
    """A correlated subquery aggregating `model` rows of each page.

    Subqueries rather than Count() + Avg() over joins: two joins multiply each
    other's rows, inflating counts and skewing averages.
    """
    rows = (
        model.objects.filter(page=OuterRef("pk"), **filters).order_by().values("page")
    )
    return Subquery(rows.annotate(value=aggregate).values("value"))


def with_engagement(pages: QuerySet) -> QuerySet:
    """Annotate comment_count (approved), rating_count and avg_rating on any page
    queryset, in the same query as the pages."""
    return pages.annotate(
        comment_count=Coalesce(
            _per_page(Comment, Count("pk"), status=CommentStatus.APPROVED), 0
        ),
        rating_count=Coalesce(_per_page(Rating, Count("pk")), 0),
        avg_rating=_per_page(Rating, Avg("score", output_field=models.FloatField())),
    )


FIGURES = ("comment_count", "rating_count", "avg_rating")


def engagement_figures(page) -> dict:
    """The page's comment_count, rating_count and avg_rating: its annotations
    when it was loaded with_engagement() (a listing's), else one query kept in
    the low-level cache until the next content change (showing or hiding a
    comment and rating both purge the page)."""
    if hasattr(page, "rating_count"):
        return {name: getattr(page, name) for name in FIGURES}
    if page.pk is None:
        return {"comment_count": 0, "rating_count": 0, "avg_rating": None}
    return cached_value(
        f"engagement:figures:{page.pk}",
        lambda: with_engagement(Page.objects.filter(pk=page.pk)).values(*FIGURES)[0],
        depends_on=[page_tag(page.pk)],
    )


def approved_comments(page) -> list[Comment]:
    """The page's approved comments, oldest first: one query kept in the
    low-level cache until the next content change (approving, editing or taking
    down a shown comment purges the page). No query when its figures say there
    are none, or for a never-saved preview."""
    if page.pk is None or engagement_figures(page)["comment_count"] == 0:
        return []
    return cached_value(
        f"engagement:comments:{page.pk}",
        lambda: list(
            Comment.objects.filter(page_id=page.pk)
            .approved()
            .oldest_first()
            .only("page_id", "name", "body", "created_at")
        ),
        depends_on=[page_tag(page.pk)],
    )


def rating_summary(page_id: int) -> dict:
    """The average (one decimal) and number of ratings of a page."""
    stats = Rating.objects.filter(page_id=page_id).aggregate(
        average=Avg("score"), count=Count("pk")
    )
    average = stats["average"]
    return {
        "average": None if average is None else round(average, 1),
        "count": stats["count"],
    }


def popular_pages(loaded: dict[int, Page] | None = None, exclude: int | None = None):
    """The most-read pages in rank order (engagement.popular), without `exclude`.

    Pages the caller already loaded for its own cards (`loaded`, by id) are reused;
    the rest (pages of other types) are loaded with title and URL in one query,
    and none at all when every one was loaded.
    """
    loaded = dict(loaded or {})
    ids = [pk for pk in popular_ids() if pk != exclude]
    missing = [pk for pk in ids if pk not in loaded]
    if missing:
        others = Page.objects.live().filter(pk__in=missing).only("title", "url_path")
        loaded.update({page.pk: page for page in others})
    return [loaded[pk] for pk in ids if pk in loaded]


def popular_page_ids(exclude: int | None = None) -> list[int]:
    """The ids of the most-read pages, without `exclude`: what a page showing the
    cached list (`{% most_read_list %}`) tags its response with, no page loaded."""
    return [pk for pk in popular_ids() if pk != exclude]

"""Business queries for articles: predicates chainable in any order."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.query import PageQuerySet

from engagement.selectors import with_engagement

from .coauthors import ArticleCoAuthor


class ArticleQuerySet(PageQuerySet):
    def published(self) -> "ArticleQuerySet":
        """Live, publicly viewable, and not dated in the future."""
        return self.live().public().filter(published_at__lte=timezone.now())

    def by_author(self, user) -> "ArticleQuerySet":
        """Articles `user` leads or co-authors. The co-authored ones as a
        subquery (no query of its own; the lead's rows still reach the
        (author, published_at) index)."""
        coauthored = ArticleCoAuthor.objects.filter(user=user).values("article_id")
        return self.filter(Q(author=user) | Q(pk__in=coauthored))

    def recent(self, days: int = 7) -> "ArticleQuerySet":
        return self.filter(published_at__gte=timezone.now() - timedelta(days=days))

    def tagged(self, slug: str) -> "ArticleQuerySet":
        return self.filter(tags__slug=slug)

    def featured(self) -> "ArticleQuerySet":
        return self.filter(featured=True)

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-pk")

    def with_engagement(self) -> "ArticleQuerySet":
        """Annotate comment_count (approved), rating_count and avg_rating, in the
        same query as the articles."""
        return with_engagement(self)

    def for_listing(self) -> "ArticleQuerySet":
        """Everything a listing card renders, in a constant number of queries:
        one for the articles with authors, images and engagement figures, one for
        tags, one for the images' renditions."""
        return (
            self.select_related("author", "featured_image")
            .prefetch_related("tags", "featured_image__renditions")
            .with_engagement()
        )

    def for_teaser(self) -> "ArticleQuerySet":
        """A compact card (no tags): article with author and image, in one query.
        Renditions come from the renditions cache (process memory, as for the
        article's own picture), which a prefetch would bypass with a query."""
        return self.select_related("author", "featured_image")

    def related_to(self, article, tags=None, limit: int = 3) -> "ArticleQuerySet":
        """Other articles sharing tags with `article`: most shared first, then newest.

        Pass `tags` when the caller already holds the article's tags.
        """
        tag_ids = [tag.pk for tag in (article.tags.all() if tags is None else tags)]
        shared = Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids))
        return (
            self.exclude(pk=article.pk)
            .annotate(shared_tags=shared)
            .filter(shared_tags__gt=0)
            .order_by("-shared_tags", "-published_at", "-pk")[:limit]
        )

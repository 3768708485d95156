"""Related lists, stored per article and kept current by the changes that can
alter them.

An article shows up to LIMIT published siblings sharing its tags, most shared
first, then newest. Ranking that scans every article sharing a tag (all of them,
for a tag like `all`), and it ran again on each article's first render after any
publish; every publish also purged the page of every article sharing one of its
tags, whether or not its list changed (23% of 10,000 cached pages for one publish).

Now each list is a RelatedArticles row, read with the article in the query that
routes to it. When an article changes, `refresh_related` (a task, after commit)
compares what ranking looks at (listed or not, parent, tags, date) with the row's
snapshot of it. Unchanged (an edit of the text): nothing to do. Changed:
- the lists that held it are ranked again (it may have left them or moved);
- the lists it now beats the weakest entry of are ranked again (it entered them);
- its own list is ranked again;
and only the articles whose list came out different have their page purged.
Articles with the same parent and tags share one ranking, so the work grows with
the number of distinct tag sets touched, not with the articles holding them.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django_tasks import task
from wagtail.models import Page

from cms.page_cache.purge import purge_tags

from . import cache_tags
from .article_page import ArticlePage, ArticlePageTag
from .related_lists import RelatedArticles, joined

logger = logging.getLogger("articles.related")

LIMIT = 3


@dataclass(frozen=True)
class RankedAs:
    """What ranking looks at of an article: whether it can be listed (live,
    public, dated in the past), under which parent, with which tags, and its date."""

    listed: bool
    parent_id: int | None
    tag_ids: tuple[int, ...]
    published_at: datetime | None


def ranked_as(article: ArticlePage | None) -> RankedAs:
    if article is None:  # deleted
        return RankedAs(False, None, (), None)
    listed = ArticlePage.objects.published().filter(pk=article.pk).exists()
    tag_ids = tuple(
        sorted(
            ArticlePageTag.objects.filter(content_object_id=article.pk).values_list(
                "tag_id", flat=True
            )
        )
    )
    parent = article.get_parent()
    return RankedAs(
        listed, parent.pk if parent else None, tag_ids, article.published_at
    )


def stored_as(row: RelatedArticles) -> RankedAs:
    return RankedAs(
        row.ranked_listed,
        row.ranked_parent_id,
        tuple(int(pk) for pk in row.ranked_tags.strip(",").split(",") if pk),
        row.ranked_published_at,
    )


def rank(parent_id: int, tag_ids: Iterable[int], limit: int) -> list[tuple]:
    """(id, shared tags, published_at) of the published articles under
    `parent_id` sharing any of `tag_ids`, best first."""
    tag_ids = list(tag_ids)
    if not tag_ids:
        return []
    rows = (
        ArticlePage.objects.published()
        .child_of(Page.objects.get(pk=parent_id))
        .filter(tagged_items__tag_id__in=tag_ids)
        .annotate(shared=Count("tagged_items"))
        .order_by("-shared", "-published_at", "-pk")
        .values_list("pk", "shared", "published_at")[:limit]
    )
    return list(rows)


def rank_lists(article_ids: Iterable[int] | QuerySet) -> set[int]:
    """Rank the lists of `article_ids` (or of a queryset of articles) again and
    store them; the ids whose list changed. A constant number of queries, plus
    one ranking per distinct (parent, tags) among them."""
    chosen = (
        article_ids
        if isinstance(article_ids, QuerySet)
        else ArticlePage.objects.filter(pk__in=set(article_ids))
    )
    articles = {
        article.pk: article
        for article in chosen.order_by().only("path", "depth", "published_at", "live")
    }
    if not articles:
        return set()
    chosen_ids = chosen.order_by().values("pk")
    tags_of = defaultdict(list)
    for article_id, tag_id in ArticlePageTag.objects.filter(
        content_object_id__in=chosen_ids
    ).values_list("content_object_id", "tag_id"):
        tags_of[article_id].append(tag_id)
    step = Page.steplen
    parent_paths = {article.path[:-step] for article in articles.values()}
    parent_of_path = dict(
        Page.objects.filter(path__in=parent_paths).values_list("path", "pk")
    )
    listed = set(
        ArticlePage.objects.published()
        .filter(pk__in=chosen_ids)
        .values_list("pk", flat=True)
    )
    previous = dict(
        RelatedArticles.objects.filter(article_id__in=chosen_ids).values_list(
            "article_id", "members"
        )
    )
    groups: dict[tuple, list[int]] = defaultdict(list)
    for article_id, article in articles.items():
        parent_id = parent_of_path[article.path[:-step]]
        groups[parent_id, tuple(sorted(tags_of[article_id]))].append(article_id)
    rows = []
    for (parent_id, tag_ids), members in groups.items():
        # One more than a list holds: enough to leave any member out of its own.
        ranked = rank(parent_id, tag_ids, LIMIT + 1)
        for article_id in members:
            entries = [entry for entry in ranked if entry[0] != article_id][:LIMIT]
            weakest = entries[-1] if entries else (None, 0, None)
            rows.append(
                RelatedArticles(
                    article_id=article_id,
                    members=joined(entry[0] for entry in entries),
                    size=len(entries),
                    weakest_id=weakest[0],
                    weakest_shared=weakest[1],
                    weakest_published_at=weakest[2],
                    ranked_listed=article_id in listed,
                    ranked_parent_id=parent_id,
                    ranked_tags=joined(tag_ids),
                    ranked_published_at=articles[article_id].published_at,
                )
            )
    RelatedArticles.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=[
            field.name
            for field in RelatedArticles._meta.concrete_fields
            if not field.primary_key
        ],
    )
    return {
        row.article_id for row in rows if previous.get(row.article_id) != row.members
    }


def lists_holding(article_id: int) -> list[int]:
    return list(
        RelatedArticles.objects.filter(members__contains=f",{article_id},")
        .exclude(article_id=article_id)
        .values_list("article_id", flat=True)
    )


def lists_entered_by(article_id: int, now: RankedAs) -> list[int]:
    """The stored lists (siblings sharing a tag) whose weakest entry `article_id`,
    ranked as `now`, beats: it belongs in them."""
    if not now.listed or not now.tag_ids:
        return []
    score = Subquery(
        ArticlePageTag.objects.filter(
            content_object_id=OuterRef("article_id"), tag_id__in=now.tag_ids
        )
        .order_by()
        .values("content_object_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    beaten = (
        Q(size__lt=LIMIT)
        | Q(weakest_shared__lt=F("score"))
        | Q(weakest_shared=F("score"), weakest_published_at__lt=now.published_at)
        | Q(
            weakest_shared=F("score"),
            weakest_published_at=now.published_at,
            weakest_id__lt=article_id,
        )
    )
    return list(
        RelatedArticles.objects.filter(ranked_parent_id=now.parent_id)
        .exclude(article_id=article_id)
        .exclude(members__contains=f",{article_id},")
        .annotate(score=score)
        .filter(score__gt=0)
        .filter(beaten)
        .values_list("article_id", flat=True)
    )


def refresh_after_change(article_id: int) -> set[int]:
    """Bring every stored list up to date with the article's change; the ids of
    the articles whose list changed (their pages show it)."""
    article = ArticlePage.objects.filter(pk=article_id).first()
    now = ranked_as(article)
    row = RelatedArticles.objects.filter(article_id=article_id).first()
    if row is not None and stored_as(row) == now:
        return set()  # nothing ranking looks at changed: no list can have
    affected = set(lists_holding(article_id)) | set(lists_entered_by(article_id, now))
    if article is not None:
        affected.add(article_id)
    with transaction.atomic():
        return rank_lists(affected)


@task()
def refresh_related(article_id: int) -> None:
    """After an article's change: update the related lists and purge the pages
    of the articles whose list changed."""
    changed = refresh_after_change(article_id)
    if changed:
        purge_tags({cache_tags.article_page(pk) for pk in changed})
    logger.info(
        "related lists after article %s changed: %d lists changed",
        article_id,
        len(changed),
    )


# The scheduler stores missing lists at most this often (an anti-join over
# every article; lists go missing only for articles made without a publish).
BACKFILL_INTERVAL = 60.0
BACKFILL_BATCH = 2000
_last_backfill = 0.0


def rank_missing_lists() -> int:
    """Store the lists of live articles that have none (published before lists
    were stored, or made without a publish) and purge their pages, which ranked
    them on every render until then. Periodic (settings.PERIODIC_TASKS);
    returns how many were stored."""
    global _last_backfill
    if time.monotonic() - _last_backfill < BACKFILL_INTERVAL:
        return 0
    _last_backfill = time.monotonic()
    missing = list(
        ArticlePage.objects.live()
        .exclude(pk__in=RelatedArticles.objects.values("article_id"))
        .values_list("pk", flat=True)[:BACKFILL_BATCH]
    )
    if missing:
        rank_lists(missing)
        purge_tags({cache_tags.article_page(pk) for pk in missing})
        logger.info("stored %d missing related lists", len(missing))
    return len(missing)


@task()
def refresh_related_under(page_id: int) -> None:
    """After a view restriction on `page_id` changed: its articles may have
    left or entered any list under their parents. Rank every list there again
    (one ranking per distinct set of tags) and purge the changed ones."""
    section = Page.objects.filter(pk=page_id).first()
    if section is None:
        return
    step = Page.steplen
    parents = {
        path[:-step]
        for path in ArticlePage.objects.descendant_of(
            section, inclusive=True
        ).values_list("path", flat=True)
    }
    changed = set()
    for parent in Page.objects.filter(path__in=parents):
        changed |= rank_lists(ArticlePage.objects.child_of(parent))
    if changed:
        purge_tags({cache_tags.article_page(pk) for pk in changed})

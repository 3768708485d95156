"""Publishing side effects for articles, connected in ArticlesConfig.ready().

Stamping published_at happens inside the publishing transaction (a rollback undoes
it); everything else waits for the commit, so a rolled-back publish changes nothing.
The page cache and the low-level article lists are purged by cms.page_cache's
receivers (for every page type) with the tags ArticlePage declares.
"""

import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.models import PageViewRestriction
from wagtail.search import index
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from cms.page_cache import page_tag
from cms.page_cache.sources import register_purge_source

from . import cache_tags
from .models import ArticleIndexPage, ArticlePage, TagDescription
from .publication import stamp_first_publication
from .related import refresh_related, refresh_related_under
from .roles import grant_article_index

logger = logging.getLogger("articles.publishing")


def article_changed(
    article_id: int, title: str, action: str, user_id: int | None
) -> None:
    """Runs after commit: record who did what.

    Cached pages and article lists are purged by cms.page_cache's receivers, which
    handle every page type, with the tags ArticlePage.get_cache_purge_tags declares.
    """
    logger.info(
        "article %s: id=%s title=%r by user_id=%s", action, article_id, title, user_id
    )


def on_commit_article_changed(article: ArticlePage, action: str, user=None) -> None:
    # Related lists it may have entered or left: ranked again by the task queue.
    transaction.on_commit(partial(refresh_related.enqueue, article.pk))
    transaction.on_commit(
        partial(
            article_changed,
            article.pk,
            article.title,
            action,
            getattr(user, "pk", None),
        )
    )


def on_article_published(
    sender, instance: ArticlePage, revision=None, **kwargs
) -> None:
    stamp_first_publication(instance)
    user = getattr(revision, "user", None)
    on_commit_article_changed(instance, "published", user)
    # The search index was updated by save()'s post_save, before modelcluster wrote
    # the tags: index again once everything is committed, or new tags are unsearchable.
    transaction.on_commit(partial(index.insert_or_update_object, instance))


def on_article_unpublished(sender, instance: ArticlePage, **kwargs) -> None:
    on_commit_article_changed(instance, "unpublished")


def on_article_moved(sender, instance: ArticlePage, **kwargs) -> None:
    on_commit_article_changed(instance, "moved")


def on_article_slug_changed(sender, instance: ArticlePage, **kwargs) -> None:
    on_commit_article_changed(instance, "renamed")


def on_article_deleted(sender, instance: ArticlePage, **kwargs) -> None:
    on_commit_article_changed(instance, "deleted")


def on_article_index_created(
    sender, instance: ArticleIndexPage, created: bool, raw=False, **kwargs
) -> None:
    # New article indexes get the Authors' grants and the review workflow at once.
    if created and not raw:
        grant_article_index(instance.pk)


def tags_for_author(user) -> set[str]:
    """A person's name, bio and avatar show in the bylines of their articles (pages,
    cards, feeds, JSON-LD) and head their archive."""
    # Those they co-author too: their name is in those bylines.
    article_ids = ArticlePage.objects.by_author(user).values_list("pk", flat=True)
    return {
        cache_tags.author_archive(user.pk),
        cache_tags.FEEDS,
        *(page_tag(pk) for pk in article_ids),
    }


def tags_for_tag(tag: Tag) -> set[str]:
    """A tag's name shows on its archive and its articles (their pages and
    cards; a related list shows cards)."""
    article_ids = ArticlePage.objects.filter(tagged_items__tag=tag).values_list(
        "pk", flat=True
    )
    return {
        cache_tags.tag_archive(tag.slug),
        cache_tags.FEEDS,
        *(page_tag(pk) for pk in article_ids),
    }


def on_view_restriction_changed(sender, instance, **kwargs) -> None:
    # Restricted articles leave related lists, opened ones may enter them.
    transaction.on_commit(partial(refresh_related_under.enqueue, instance.page_id))


def register_signal_handlers() -> None:
    register_purge_source(
        get_user_model(),
        fields=["username", "first_name", "last_name", "bio", "avatar"],
        tags_for=tags_for_author,
    )
    register_purge_source(Tag, fields=["name", "slug"], tags_for=tags_for_tag)
    register_purge_source(
        TagDescription,
        fields=["tag", "description"],
        tags_for=lambda written: {cache_tags.tag_archive(written.tag.slug)},
    )
    page_published.connect(
        on_article_published, sender=ArticlePage, dispatch_uid="article-published"
    )
    page_unpublished.connect(
        on_article_unpublished, sender=ArticlePage, dispatch_uid="article-unpublished"
    )
    post_page_move.connect(
        on_article_moved, sender=ArticlePage, dispatch_uid="article-moved"
    )
    page_slug_changed.connect(
        on_article_slug_changed, sender=ArticlePage, dispatch_uid="article-slug-changed"
    )
    post_delete.connect(
        on_article_deleted, sender=ArticlePage, dispatch_uid="article-deleted"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"article-related-restriction-{signal is post_save}",
        )
    post_save.connect(
        on_article_index_created,
        sender=ArticleIndexPage,
        dispatch_uid="article-index-created",
    )

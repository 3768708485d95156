"""Publishing side effects for articles, connected in ArticlesConfig.ready().

Stamping published_at happens inside the publishing transaction (a rollback undoes
it); everything else waits for the commit, so a rolled-back publish changes nothing.
The page cache and the low-level article lists are purged by cms.page_cache's
receivers (for every page type) with the tags ArticlePage declares.
"""

import logging
from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.search import index
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from cms.page_cache import page_tag
from cms.page_cache.purge import purge_tags

from .models import ArticleIndexPage, ArticlePage, Comment, CommentStatus, Rating
from .popular import refresh_popular
from .publication import stamp_first_publication
from .roles import grant_article_index
from .signals import comments_moderated

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
    transaction.on_commit(refresh_popular)


def on_article_unpublished(sender, instance: ArticlePage, **kwargs) -> None:
    on_commit_article_changed(instance, "unpublished")
    transaction.on_commit(refresh_popular)


# --- Reader engagement: cached pages show comment counts and ratings -----------------


def purge_articles_on_commit(article_ids) -> None:
    """After commit, purge every cached page showing these articles (their own
    pages and every card of them)."""
    tags = {page_tag(article_id) for article_id in article_ids}
    transaction.on_commit(partial(purge_tags, tags))


def on_comments_moderated(sender, article_ids, **kwargs) -> None:
    purge_articles_on_commit(article_ids)


def on_comment_saved(sender, instance: Comment, created: bool, raw=False, **kwargs):
    # A new comment waits for moderation and shows nowhere: no purge for it, so a
    # flood of submissions cannot empty the cache. An edit may show or hide one.
    if not raw and (not created or instance.status == CommentStatus.APPROVED):
        purge_articles_on_commit({instance.article_id})


def on_comment_deleted(sender, instance: Comment, **kwargs) -> None:
    if instance.status == CommentStatus.APPROVED:
        purge_articles_on_commit({instance.article_id})


def on_rating_saved(sender, instance: Rating, raw=False, **kwargs) -> None:
    if not raw:
        purge_articles_on_commit({instance.article_id})


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
        grant_article_index(apps, instance.pk)


def register_signal_handlers() -> None:
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
    comments_moderated.connect(
        on_comments_moderated, sender=Comment, dispatch_uid="comments-moderated"
    )
    post_save.connect(on_comment_saved, sender=Comment, dispatch_uid="comment-saved")
    post_delete.connect(
        on_comment_deleted, sender=Comment, dispatch_uid="comment-deleted"
    )
    post_save.connect(on_rating_saved, sender=Rating, dispatch_uid="rating-saved")
    post_save.connect(
        on_article_index_created,
        sender=ArticleIndexPage,
        dispatch_uid="article-index-created",
    )

"""Publishing receivers: invalidation and logging after commit, nothing on rollback."""

import datetime
import logging
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from articles.models import ArticlePage

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def draft(article_index):
    return ArticlePageFactory(parent=article_index, live=False, published_at=None)


@pytest.fixture
def live_article(article_index):
    article = ArticlePageFactory(parent=article_index, live=False, published_at=None)
    article.save_revision().publish(skip_permission_checks=True)
    return ArticlePage.objects.get(pk=article.pk)


def cached_listing(client, url="/articles/") -> str:
    """The listing as an anonymous reader gets it, after making sure it is cached."""
    client.get(url)
    response = client.get(url)
    assert response["X-Wagtail-Cache"] == "hit"
    return response.content.decode()


def test_publish_refreshes_listings_after_commit_and_logs(
    client, draft, editor, caplog, django_capture_on_commit_callbacks
):
    assert draft.title not in cached_listing(client)
    with caplog.at_level(logging.INFO, logger="articles.publishing"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            draft.save_revision(user=editor).publish(
                user=editor, skip_permission_checks=True
            )
            # Nothing is purged until the publish commits.
            assert draft.title not in cached_listing(client)
        for callback in callbacks:
            callback()

    assert draft.title in client.get("/articles/").content.decode()
    line = next(
        r.getMessage() for r in caplog.records if r.name == "articles.publishing"
    )
    assert f"article published: id={draft.pk}" in line
    assert f"by user_id={editor.pk}" in line


def test_rolled_back_publish_changes_nothing(
    client, draft, django_capture_on_commit_callbacks
):
    cached_listing(client)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Rollback), transaction.atomic():
            draft.save_revision().publish(skip_permission_checks=True)
            raise Rollback

    assert callbacks == []
    assert draft.title not in cached_listing(client)  # still the same cached page
    draft.refresh_from_db()
    assert not draft.live
    assert draft.published_at is None


@pytest.mark.parametrize("change", ["unpublish", "move", "rename", "delete"])
def test_every_content_change_refreshes_the_listing(
    client, live_article, home_page, change, django_capture_on_commit_callbacks
):
    old_url = live_article.url
    assert f'href="{old_url}"' in cached_listing(client)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if change == "unpublish":
            live_article.unpublish()
        elif change == "move":
            other_index = ArticleIndexPageFactory(parent=home_page, slug="elsewhere")
            live_article.move(other_index, pos="last-child")
        elif change == "rename":
            live_article.slug = "a-new-slug"
            live_article.save_revision().publish(skip_permission_checks=True)
        else:
            live_article.delete()

    assert callbacks, "no receiver ran on commit"
    listing = client.get("/articles/").content.decode()
    assert f'href="{old_url}"' not in listing
    if change == "rename":
        assert 'href="/articles/a-new-slug/"' in listing


def test_related_articles_list_is_fresh_after_publishing(
    client, article_index, django_capture_on_commit_callbacks
):
    subject = ArticlePageFactory(parent=article_index, tags=["rail"])
    assert "Related articles" not in client.get(subject.url).content.decode()

    newcomer = ArticlePageFactory(
        parent=article_index,
        tags=["rail"],
        title="Newcomer",
        live=False,
        published_at=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.save_revision().publish(skip_permission_checks=True)

    assert "Newcomer" in client.get(subject.url).content.decode()


def test_scheduled_article_goes_live_once_its_time_has_passed(draft, client):
    go_live = timezone.now() + datetime.timedelta(minutes=5)
    draft.go_live_at = go_live
    draft.save_revision().publish(skip_permission_checks=True)
    draft.refresh_from_db()
    assert not draft.live  # scheduled, not yet live

    call_command("run_scheduler", "--once")
    draft.refresh_from_db()
    assert not draft.live  # still in the future

    # Six minutes later, as far as Django's clock is concerned.
    later = go_live + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("run_scheduler", "--once")

    draft.refresh_from_db()
    assert draft.live
    assert draft.published_at is not None
    # Its publication date is the (mocked) moment it went live: a reader then sees it.
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(draft.url).status_code == 200

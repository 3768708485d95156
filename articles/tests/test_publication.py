"""published_at is stamped on first publish and kept on later publishes."""

import datetime

import pytest
from django.utils import timezone

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def draft(article_index, **fields) -> ArticlePage:
    return ArticlePageFactory(
        parent=article_index, live=False, published_at=None, **fields
    )


def test_first_publish_stamps_published_at(article_index):
    article = draft(article_index)
    before = timezone.now()

    article.save_revision().publish(skip_permission_checks=True)

    article.refresh_from_db()
    assert article.published_at is not None
    assert before <= article.published_at <= timezone.now()
    assert article.published_at == article.first_published_at
    assert ArticlePage.objects.published().filter(pk=article.pk).exists()
    # The editor sees the stamp when they next open the article.
    assert article.live_revision.as_object().published_at == article.published_at


def test_second_publish_keeps_the_first_stamp(article_index):
    article = draft(article_index)
    article.save_revision().publish(skip_permission_checks=True)
    article.refresh_from_db()
    first_stamp = article.published_at

    article.title = "Retitled"
    article.save_revision().publish(skip_permission_checks=True)

    article.refresh_from_db()
    assert article.title == "Retitled"
    assert article.published_at == first_stamp


def test_a_backdated_date_is_kept_on_publish(article_index):
    backdated = timezone.now() - datetime.timedelta(days=400)
    article = draft(article_index)
    article.published_at = backdated
    article.save_revision().publish(skip_permission_checks=True)

    article.refresh_from_db()
    assert article.published_at == backdated

"""Deleting a page in the admin says what readers left on it goes too, and only
moderators take approved comments with it (engagement/page_deletion.py)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from engagement.models import Comment, DailyPageViews, Rating
from engagement.querysets import CommentStatus

pytestmark = pytest.mark.django_db


def leave_engagement(page, approved=0, pending=0, spam=0, ratings=0, days=0):
    for status, count in (
        (CommentStatus.APPROVED, approved),
        (CommentStatus.PENDING, pending),
        (CommentStatus.SPAM, spam),
    ):
        for n in range(count):
            Comment.objects.create(
                page=page,
                name="Reader",
                email="r@example.com",
                body=f"#{n}",
                status=status,
            )
    for n in range(ratings):
        Rating.objects.create(page=page, reader=f"reader-{n}", score=4)
    for n in range(days):
        DailyPageViews.objects.create(
            page=page, day=datetime.date(2026, 1, 1) + datetime.timedelta(n), views=3
        )


def delete_url(page) -> str:
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def authors_unpublished_article(article_index, author):
    """An Author may delete only her own pages that are not live (Wagtail's rule);
    this one was live, gathered comments, and an Editor unpublished it."""
    return ArticlePageFactory(
        parent=article_index,
        author=author,
        owner=author,
        live=False,
        title="Withdrawn piece",
    )


def test_the_confirmation_says_what_goes_with_the_article(
    client, editor, article_index
):
    article = ArticlePageFactory(parent=article_index)
    leave_engagement(article, approved=3, pending=1, spam=2, ratings=5, days=12)
    client.force_login(editor)

    response = client.get(delete_url(article))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Are you sure you want to delete this page?" in html
    assert (
        "Deleting it also deletes what readers left: 3 approved and 1 pending "
        "comments, 2 rejected or spam comments, 5 ratings and 12 days of view "
        "counts." in html
    )


def test_the_confirmation_says_nothing_when_readers_left_nothing(
    client, editor, article_index
):
    article = ArticlePageFactory(parent=article_index)
    client.force_login(editor)

    response = client.get(delete_url(article))

    assert response.status_code == 200
    assert "what readers left" not in response.content.decode()


def test_an_author_cannot_delete_an_article_with_approved_comments(
    client, author, authors_unpublished_article
):
    article = authors_unpublished_article
    leave_engagement(article, approved=2, ratings=1)
    client.force_login(author)

    for response in (client.get(delete_url(article)), client.post(delete_url(article))):
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "wagtailadmin_pages:edit", args=[article.pk]
        )
        message = message_texts(response)[-1]
        assert "“Withdrawn piece” cannot be deleted" in message
        assert "2 approved reader comments" in message
        assert "only an Editor may delete approved comments" in message

    assert ArticlePage.objects.filter(pk=article.pk).exists()
    assert Comment.objects.filter(page=article).count() == 2


def test_an_author_cannot_bulk_delete_an_article_with_approved_comments(
    client, author, authors_unpublished_article
):
    article = authors_unpublished_article
    leave_engagement(article, approved=1)
    client.force_login(author)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])

    response = client.post(f"{url}?id={article.pk}")

    assert response.status_code == 302
    assert "No pages were deleted" in message_texts(response)[-1]
    assert ArticlePage.objects.filter(pk=article.pk).exists()


def test_an_author_deletes_her_article_with_only_pending_comments_and_is_told(
    client, author, authors_unpublished_article
):
    article = authors_unpublished_article
    leave_engagement(article, pending=1, days=2)
    client.force_login(author)

    confirmation = client.get(delete_url(article))
    assert "0 approved and 1 pending comment, 0 ratings and 2 days of view counts" in (
        confirmation.content.decode()
    )
    response = client.post(delete_url(article))

    assert response.status_code == 302
    assert not ArticlePage.objects.filter(pk=article.pk).exists()
    assert not Comment.objects.exists() and not DailyPageViews.objects.exists()


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_editors_delete_an_article_with_approved_comments(
    client, request, article_index, who
):
    article = ArticlePageFactory(parent=article_index)
    leave_engagement(article, approved=2, pending=1, ratings=1, days=1)
    client.force_login(request.getfixturevalue(who))

    response = client.post(delete_url(article))

    assert response.status_code == 302
    assert not ArticlePage.objects.filter(pk=article.pk).exists()
    assert not Comment.objects.exists()
    assert not Rating.objects.exists() and not DailyPageViews.objects.exists()

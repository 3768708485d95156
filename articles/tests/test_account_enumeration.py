"""Public per-person pages exist only for people with a published article: an
admin, an editor or an author who has not published yet gets the same 404 as a
name nobody has, so author archives and feeds cannot list the site's accounts."""

import datetime

import pytest
from django.utils import timezone

from articles.factories import ArticlePageFactory
from cms.factories import UserFactory

pytestmark = pytest.mark.django_db

PER_PERSON_SURFACES = [
    "/articles/author/{}/",
    "/articles/author/{}/?page=1",
    "/feeds/author/{}/rss/",
    "/feeds/author/{}/atom/",
]


def statuses(client, username: str) -> list[int]:
    return [client.get(url.format(username)).status_code for url in PER_PERSON_SURFACES]


@pytest.fixture
def staff(superuser, editor, author):
    """Accounts that exist but wrote nothing readers can see."""
    return [superuser, editor, author]


def test_accounts_without_published_articles_look_like_nobody(
    client, article_index, staff
):
    unknown = statuses(client, "no-such-person")
    assert unknown == [404] * len(PER_PERSON_SURFACES)
    for user in staff:
        assert statuses(client, user.username) == unknown, user.username


def test_the_404_says_nothing_about_the_account(client, article_index, superuser):
    superuser.first_name, superuser.last_name = "Ada", "Administrator"
    superuser.save()
    real = client.get(f"/articles/author/{superuser.username}/").content.decode()
    fake = client.get("/articles/author/no-such-person/").content.decode()
    assert "Administrator" not in real
    assert real.replace(superuser.username, "X") == fake.replace("no-such-person", "X")


def test_drafts_and_future_articles_do_not_open_the_page(client, article_index, author):
    ArticlePageFactory(parent=article_index, author=author, live=False)
    ArticlePageFactory(
        parent=article_index,
        author=author,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert statuses(client, author.username) == [404] * len(PER_PERSON_SURFACES)


def test_a_published_author_has_archive_and_feeds(client, article_index):
    ada = UserFactory(username="ada")
    ArticlePageFactory(parent=article_index, author=ada, title="Engines")
    assert statuses(client, "ada") == [200] * len(PER_PERSON_SURFACES)


def test_the_first_publication_opens_a_cached_404(
    client, article_index, author, django_capture_on_commit_callbacks
):
    """The 404 was cached with the archive's tag: publishing purges it at once."""
    assert client.get(f"/articles/author/{author.username}/").status_code == 404
    again = client.get(f"/articles/author/{author.username}/")
    assert again.status_code == 404
    assert again["X-Wagtail-Cache"] == "hit"

    article = ArticlePageFactory(parent=article_index, author=author, live=False)
    with django_capture_on_commit_callbacks(execute=True):  # the purge
        article.save_revision().publish()

    response = client.get(f"/articles/author/{author.username}/")
    assert response.status_code == 200
    assert article.title in response.content.decode()

"""Precise purge: a change to an article purges exactly the pages that show it."""

import datetime

import pytest
from django.utils import timezone

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from articles.models import ArticlePage
from cms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(article_index):
    """A: the article that changes. B: an unrelated article (other tags, other
    author, far away in time). Ten fillers between them make two index pages."""
    now = timezone.now()
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    a = ArticlePageFactory(
        parent=article_index,
        title="Night trains return",
        slug="night-trains",
        author=alice,
        tags=["rail", "travel"],
        published_at=now - datetime.timedelta(hours=1),
    )
    for n in range(10):
        ArticlePageFactory(
            parent=article_index,
            tags=["filler"],
            author=alice,
            published_at=now - datetime.timedelta(days=2, hours=n),
        )
    b = ArticlePageFactory(
        parent=article_index,
        title="Soup season",
        slug="soup",
        author=bob,
        tags=["cooking"],
        published_at=now - datetime.timedelta(days=30),
    )
    ArticlePageFactory(
        parent=article_index,
        tags=["ferries"],
        author=bob,
        published_at=now - datetime.timedelta(days=31),
    )
    return {"a": a, "b": b}


AFFECTED = [
    "/",
    "/articles/",
    "/articles/?page=2",
    "/articles/tag/rail/",
    "/articles/tag/travel/",
    "/articles/author/alice/",
]
UNAFFECTED = ["/articles/soup/", "/articles/tag/cooking/", "/articles/author/bob/"]


def prime(client, urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url


def publish(article, capture, **changes):
    article = ArticlePage.objects.get(pk=article.pk)
    for field, value in changes.items():
        setattr(article, field, value)
    with capture(execute=True):
        article.save_revision().publish(skip_permission_checks=True)
    return article


def test_publishing_a_change_purges_exactly_the_affected_pages(
    client, site, django_capture_on_commit_callbacks
):
    prime(client, ["/articles/night-trains/", *AFFECTED, *UNAFFECTED])

    publish(
        site["a"], django_capture_on_commit_callbacks, title="Night trains are back"
    )

    article = client.get("/articles/night-trains/")
    assert article["X-Wagtail-Cache"] == "miss"
    assert "Night trains are back" in article.content.decode()
    for url in AFFECTED:
        response = client.get(url)
        assert response["X-Wagtail-Cache"] == "miss", url
    for url in ["/", "/articles/", "/articles/tag/rail/", "/articles/author/alice/"]:
        assert "Night trains are back" in client.get(url).content.decode(), url
    for url in UNAFFECTED:
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url


def test_changing_tags_purges_old_and_new_tag_archives(
    client, site, django_capture_on_commit_callbacks
):
    prime(client, ["/articles/tag/travel/", "/articles/tag/ferries/", *UNAFFECTED])

    article = ArticlePage.objects.get(pk=site["a"].pk)
    article.tags.set(["rail", "ferries"])
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish(skip_permission_checks=True)

    old_tag = client.get("/articles/tag/travel/")
    new_tag = client.get("/articles/tag/ferries/")
    assert old_tag["X-Wagtail-Cache"] == new_tag["X-Wagtail-Cache"] == "miss"
    assert "Night trains return" not in old_tag.content.decode()
    assert "Night trains return" in new_tag.content.decode()
    for url in UNAFFECTED:
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url


def test_unpublishing_purges_its_page_and_listings(
    client, site, django_capture_on_commit_callbacks
):
    prime(client, ["/articles/night-trains/", *AFFECTED, *UNAFFECTED])

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=site["a"].pk).unpublish()

    assert client.get("/articles/night-trains/").status_code == 404
    for url in ["/", "/articles/", "/articles/tag/rail/"]:
        assert "Night trains return" not in client.get(url).content.decode(), url
    for url in UNAFFECTED:
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url


def test_renaming_purges_the_old_url(client, site, django_capture_on_commit_callbacks):
    prime(client, ["/articles/night-trains/", "/articles/new-name/", *UNAFFECTED])

    publish(site["a"], django_capture_on_commit_callbacks, slug="new-name")

    # Wagtail creates a permanent redirect from the old URL.
    old = client.get("/articles/night-trains/")
    assert (old.status_code, old["Location"]) == (301, "/articles/new-name/")
    assert client.get("/articles/new-name/").status_code == 200
    for url in UNAFFECTED:
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url


def test_moving_purges_old_and_new_places(
    client, site, home_page, django_capture_on_commit_callbacks
):
    opinion = ArticleIndexPageFactory(parent=home_page, slug="opinion", title="Opinion")
    prime(
        client,
        [
            "/articles/night-trains/",
            "/opinion/",
            "/opinion/night-trains/",
            "/articles/",
            *UNAFFECTED,
        ],
    )

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=site["a"].pk).move(opinion, pos="last-child")

    old = client.get("/articles/night-trains/")
    assert (old.status_code, old["Location"]) == (301, "/opinion/night-trains/")
    assert client.get("/opinion/night-trains/").status_code == 200
    assert "Night trains return" in client.get("/opinion/").content.decode()
    assert "Night trains return" not in client.get("/articles/").content.decode()
    for url in UNAFFECTED:
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url


def test_deleting_purges_its_page_and_listings(
    client, site, django_capture_on_commit_callbacks
):
    prime(client, ["/articles/night-trains/", *AFFECTED, *UNAFFECTED])

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=site["a"].pk).delete()

    assert client.get("/articles/night-trains/").status_code == 404
    assert "Night trains return" not in client.get("/").content.decode()
    for url in UNAFFECTED:
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url


def test_a_new_article_purges_its_neighbours_prev_next_links(
    client, article_index, django_capture_on_commit_callbacks
):
    now = timezone.now()
    older = ArticlePageFactory(
        parent=article_index,
        slug="older",
        published_at=now - datetime.timedelta(days=3),
    )
    far = ArticlePageFactory(
        parent=article_index,
        slug="far",
        tags=["x"],
        published_at=now - datetime.timedelta(days=90),
    )
    prime(client, ["/articles/older/", "/articles/far/"])

    newcomer = ArticlePageFactory(
        parent=article_index, slug="newcomer", live=False, published_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.save_revision().publish(skip_permission_checks=True)

    older_page = client.get("/articles/older/")
    assert older_page["X-Wagtail-Cache"] == "miss"
    assert 'rel="next" href="/articles/newcomer/"' in older_page.content.decode()
    assert client.get(far.url)["X-Wagtail-Cache"] == "hit"
    assert older.pk != far.pk


def test_a_rolled_back_publish_purges_nothing(client, site):
    from django.db import transaction

    prime(client, ["/articles/night-trains/"])
    article = ArticlePage.objects.get(pk=site["a"].pk)
    article.title = "Never happened"
    with pytest.raises(RuntimeError), transaction.atomic():
        article.save_revision().publish(skip_permission_checks=True)
        raise RuntimeError("rollback")

    response = client.get("/articles/night-trains/")
    assert response["X-Wagtail-Cache"] == "hit"
    assert "Never happened" not in response.content.decode()


def test_an_edit_of_the_body_purges_its_own_page_and_no_listing(
    client, site, django_capture_on_commit_callbacks
):
    """The body shows on the article's page only: its cards, the listings and
    its neighbours stay cached, and the page shows the new text at once."""
    from wagtail.blocks import StreamValue

    prime(client, ["/articles/night-trains/", *AFFECTED, *UNAFFECTED])
    article = ArticlePage.objects.get(pk=site["a"].pk)
    blocks = [
        *article.body.raw_data,
        {"type": "paragraph", "value": "<p>Late news.</p>"},
    ]
    article.body = StreamValue(article.body.stream_block, blocks, is_lazy=True)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish(skip_permission_checks=True)

    page = client.get("/articles/night-trains/")
    assert page["X-Wagtail-Cache"] == "miss"
    assert "Late news." in page.content.decode()
    for url in [*AFFECTED, *UNAFFECTED]:
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url


def test_an_edit_of_the_intro_purges_every_card_of_it(
    client, site, django_capture_on_commit_callbacks
):
    prime(client, ["/articles/night-trains/", *AFFECTED, *UNAFFECTED])
    publish(site["a"], django_capture_on_commit_callbacks, intro="A new intro.")
    for url in ["/", "/articles/", "/articles/tag/rail/", "/articles/author/alice/"]:
        response = client.get(url)
        assert response["X-Wagtail-Cache"] == "miss", url
        assert "A new intro." in response.content.decode(), url
    for url in UNAFFECTED:
        assert client.get(url)["X-Wagtail-Cache"] == "hit", url

"""Routing to an article through its index's kept routing query (cms/routing.py)."""

import pytest
from wagtail.models import Page

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_each_index_routes_to_its_own_articles(client, home_page):
    first = ArticleIndexPageFactory(parent=home_page, slug="news")
    second = ArticleIndexPageFactory(parent=home_page, slug="opinion")
    news = ArticlePageFactory(parent=first, slug="same-slug", title="In the news")
    opinion = ArticlePageFactory(parent=second, slug="same-slug", title="An opinion")

    for _ in range(2):  # the second time through the kept queries
        assert "In the news" in client.get(news.url).content.decode()
        assert "An opinion" in client.get(opinion.url).content.decode()


def test_an_index_moved_in_the_tree_still_routes_to_its_articles(
    client, home_page, django_capture_on_commit_callbacks
):
    index = ArticleIndexPageFactory(parent=home_page, slug="news")
    article = ArticlePageFactory(parent=index, slug="harbour", title="Harbour lights")
    assert client.get(article.url).status_code == 200

    section = Page.objects.get(pk=home_page.pk).add_child(
        instance=ArticleIndexPageFactory.build(slug="sections", title="Sections")
    )
    with django_capture_on_commit_callbacks(execute=True):  # the purge
        Page.objects.get(pk=index.pk).move(section, pos="last-child")
    article.refresh_from_db()

    assert article.url == "/sections/news/harbour/"
    response = client.get(article.url)
    assert response.status_code == 200
    assert "Harbour lights" in response.content.decode()
    # The old address is no longer the article: Wagtail's redirect points on.
    old = client.get("/news/harbour/")
    assert old.status_code in (301, 302)
    assert old["Location"].endswith("/sections/news/harbour/")


def test_an_index_renamed_stops_serving_its_articles_at_the_old_address(
    client, home_page, django_capture_on_commit_callbacks
):
    index = ArticleIndexPageFactory(parent=home_page, slug="news")
    article = ArticlePageFactory(parent=index, slug="harbour", title="Harbour lights")
    assert client.get("/news/harbour/")["X-Wagtail-Cache"] == "miss"
    assert client.get("/news/harbour/")["X-Wagtail-Cache"] == "hit"

    index = Page.objects.get(pk=index.pk).specific
    index.slug = "stories"
    with django_capture_on_commit_callbacks(execute=True):  # the purge
        index.save_revision().publish()

    article.refresh_from_db()
    assert article.url == "/stories/harbour/"
    assert client.get(article.url).status_code == 200
    old = client.get("/news/harbour/")
    assert old.status_code in (301, 302)
    assert old["Location"].endswith("/stories/harbour/")

import pytest
from wagtail.models import Page

from articles.factories import ArticlePageFactory
from articles.models import ArticleIndexPage, ArticlePage
from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_deleting_an_author_keeps_their_articles(article_index):
    article = ArticlePageFactory(parent=article_index)
    author = article.author

    author.delete()

    article.refresh_from_db()
    assert article.author is None
    assert ArticlePage.objects.published().filter(pk=article.pk).exists()


def test_page_tree_rules():
    assert ArticleIndexPage.can_create_at(HomePage.objects.get())
    assert ArticlePage.allowed_parent_page_models() == [ArticleIndexPage]
    assert ArticleIndexPage.allowed_subpage_models() == [ArticlePage]
    assert ArticlePage.allowed_subpage_models() == []


def test_indexes_on_published_at_and_author_published_at():
    indexed = {tuple(index.fields) for index in ArticlePage._meta.indexes}
    assert ("published_at",) in indexed
    assert ("author", "published_at") in indexed
    assert ArticlePage._meta.ordering == ["-published_at"]


def test_reading_time_grows_with_the_body(article_index):
    from wagtail.rich_text import RichText

    short = ArticlePageFactory(
        parent=article_index, body=[("paragraph", RichText("<p>a few words</p>"))]
    )
    long = ArticlePageFactory(
        parent=article_index,
        body=[("paragraph", RichText("<p>" + "word " * 1000 + "</p>"))],
    )
    empty = ArticlePageFactory(parent=article_index, body=[])
    assert short.reading_minutes == 1
    assert long.reading_minutes == 5  # 1000 words at 230 a minute, rounded up
    assert empty.reading_minutes == 0


def test_meta_description_falls_back_to_intro(article_index):
    article = ArticlePageFactory(parent=article_index, intro="The intro.")
    assert article.meta_description == "The intro."
    article.search_description = "Chosen for search."
    assert article.meta_description == "Chosen for search."


def test_home_page_may_hold_an_article_index():
    assert ArticleIndexPage in HomePage.allowed_subpage_models() or (
        Page in HomePage.allowed_subpage_models()
    )

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
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


def test_articles_read_newest_first(article_index):
    now = timezone.now()
    older = ArticlePageFactory(parent=article_index, published_at=now - timedelta(2))
    newer = ArticlePageFactory(parent=article_index, published_at=now - timedelta(1))
    # Created oldest first, so tree order alone would give the wrong answer.
    assert list(ArticlePage.objects.filter(pk__in=[older.pk, newer.pk])) == [
        newer,
        older,
    ]


def test_the_migrated_database_has_the_indexes_listings_rely_on():
    """Listings and author archives filter and sort on these columns; without the
    indexes their last pages scan the whole table."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, ArticlePage._meta.db_table
        )
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"]}
    assert ("published_at",) in indexed
    assert ("author_id", "published_at") in indexed


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
    # 1000 words and the title at Wagtail's 238 a minute, to the nearest minute
    assert long.reading_minutes == 4
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

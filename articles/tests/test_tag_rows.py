"""An article's tags come with the query that routes to it (articles/tag_rows.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def routed(index, article):
    return index.routed_children().get(pk=article.pk)


def test_routing_brings_the_tags_in_the_managers_order(article_index):
    article = ArticlePageFactory(parent=article_index, tags=["zebra", "apple", "mango"])
    loaded = routed(article_index, article)
    expected = [(tag.pk, tag.name, tag.slug) for tag in article.tags.all()]
    with CaptureQueriesContext(connection) as queries:
        shown = [(tag.pk, tag.name, tag.slug) for tag in loaded.shown_tags()]
    assert shown == expected
    assert [name for _, name, _ in shown] == ["zebra", "apple", "mango"]
    assert len(queries) == 0


def test_an_article_without_tags_shows_none(article_index):
    article = ArticlePageFactory(parent=article_index)
    assert routed(article_index, article).shown_tags() == []


def test_an_article_loaded_otherwise_asks_the_tag_manager(article_index):
    article = ArticlePageFactory(parent=article_index, tags=["rail"])
    article.tags.add("night trains")  # unsaved, as a preview's draft holds it
    assert [tag.name for tag in article.shown_tags()] == ["rail", "night trains"]


def test_the_article_page_renders_its_tags_without_a_tag_query(client, article_index):
    article = ArticlePageFactory(parent=article_index, tags=["rail", "ferries"])
    client.get(article.url)  # warm: lists and fragments cached
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.url, {"nocache": 1}).content.decode()
    assert 'href="/articles/tag/rail/"' in html
    assert 'content="ferries"' in html  # article:tag
    # The routing query brings them; no query of the tags' own.
    assert not [q for q in queries if q["sql"].startswith('SELECT "taggit_tag"')]
    assert any("taggit_tag" in q["sql"] for q in queries)

"""On PostgreSQL, relevance ranks the newest RANKED_MATCHES matches only
(search/postgres_backend.py): the same matches as Wagtail's backend, in the
same order, among those."""

import pytest
from django.db import connection
from modelsearch.query import Phrase
from wagtail.models import Page

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from search import postgres_backend

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the bounded ranking is the PostgreSQL backend's; SQLite's FTS5 "
        "backend (search/sqlite_backend.py) ranks every match with its own index",
    ),
]

CAP = 3


@pytest.fixture(autouse=True)
def _small_cap(monkeypatch):
    monkeypatch.setattr(postgres_backend, "RANKED_MATCHES", CAP)


def harbour_articles(index, count: int) -> list[ArticlePage]:
    return [
        ArticlePageFactory(
            parent=index,
            title=f"Notes {n}",
            body=[("paragraph", f"<p>Walking the harbour wall, day {n}.</p>")],
        )
        for n in range(count)
    ]


def test_ranks_only_the_newest_matches(client, article_index):
    articles = harbour_articles(article_index, 5)
    found = ArticlePage.objects.published().search("harbour")
    assert found.count() == CAP
    newest = sorted((a.pk for a in articles), reverse=True)[:CAP]
    assert sorted(page.pk for page in found) == sorted(newest)
    response = client.get("/search/", {"q": "harbour"})
    assert f"At least {CAP} results" in response.content.decode()


def test_relevance_orders_the_ranked_matches(article_index):
    harbour_articles(article_index, 2)
    titled = ArticlePageFactory(parent=article_index, title="The harbour at dawn")
    found = list(ArticlePage.objects.published().search("harbour"))
    assert found[0].pk == titled.pk


def test_fewer_matches_than_the_cap_are_all_ranked_and_counted(client, article_index):
    harbour_articles(article_index, 2)
    ArticlePageFactory(parent=article_index, title="Mountain passes")
    response = client.get("/search/", {"q": "harbour"})
    assert "2 results for" in response.content.decode()


def test_words_split_between_title_and_body_still_match(article_index):
    """The any-word prefilter on each column must not lose a match that only
    the columns joined hold (Wagtail matches title || body)."""
    both = ArticlePageFactory(
        parent=article_index,
        title="Lighthouse",
        body=[("paragraph", "<p>The keeper climbs every night.</p>")],
    )
    ArticlePageFactory(parent=article_index, title="Lighthouse lamps")
    found = ArticlePage.objects.published().search("lighthouse keeper")
    assert [page.pk for page in found] == [both.pk]


def test_an_explicit_order_is_not_capped(article_index):
    harbour_articles(article_index, 5)
    found = ArticlePage.objects.published().search("harbour", order_by_relevance=False)
    assert found.count() == 5


def test_admin_autocomplete_is_capped_too(article_index):
    for n in range(5):
        ArticlePageFactory(parent=article_index, title=f"Harbour diary {n}")
    assert Page.objects.autocomplete("harbo").count() == CAP


def test_a_stop_word_in_the_query_is_dropped_as_wagtail_drops_it(article_index):
    harbour = ArticlePageFactory(parent=article_index, title="Harbour lights")
    found = ArticlePage.objects.published().search("the harbour")
    assert [page.pk for page in found] == [harbour.pk]


def test_a_phrase_is_matched_as_wagtail_matches_it(article_index):
    harbour = ArticlePageFactory(parent=article_index, title="Harbour lights tonight")
    ArticlePageFactory(parent=article_index, title="Lights over the harbour")
    found = ArticlePage.objects.published().search(Phrase("harbour lights"))
    assert [page.pk for page in found] == [harbour.pk]

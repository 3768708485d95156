"""Keyset pagination (cms/pagination.py): the same pages OFFSET gives, page
starts kept until the listing's tag is purged, no OFFSET and no COUNT per render."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from cms.page_cache.purge import purge_tags
from cms.pagination import Keyset, paginate

pytestmark = pytest.mark.django_db

KEYSET = Keyset("published_at", name="test:listing", depends_on=["test:listing"])


@pytest.fixture
def articles(article_index):
    now = timezone.now()
    made = [
        ArticlePageFactory(
            parent=article_index, published_at=now - datetime.timedelta(hours=n)
        )
        for n in range(23)
    ]
    # Two articles at the same moment: ties are settled by id.
    ArticlePage.objects.filter(pk=made[5].pk).update(published_at=made[4].published_at)
    return ArticlePage.objects.live().newest_first()


def page_of(items, number, keyset=KEYSET, per_page=5):
    request = RequestFactory().get("/", {"page": number})
    return paginate(request, items, per_page=per_page, keyset=keyset)


def test_every_page_holds_what_offset_pagination_gives(articles):
    reference = Paginator(articles, 5)
    assert page_of(articles, 1).paginator.num_pages == reference.num_pages == 5
    for number in range(1, 6):
        keyset_page = page_of(articles, number)
        assert [a.pk for a in keyset_page] == [a.pk for a in reference.page(number)], (
            number
        )
        assert keyset_page.has_next() == reference.page(number).has_next()
    assert page_of(articles, 1).paginator.count == 23


def test_a_deep_page_costs_one_query_once_its_starts_are_known(articles):
    list(page_of(articles, 1))  # the starts are worked out and kept
    with CaptureQueriesContext(connection) as queries:
        list(page_of(articles, 5))
    sql = [query["sql"].upper() for query in queries.captured_queries]
    # The view-restriction lookup of published()/public() may add one.
    rows = [q for q in sql if "ARTICLES_ARTICLEPAGE" in q]
    assert len(rows) == 1
    assert "OFFSET" not in rows[0]
    assert "COUNT(" not in rows[0]


def test_starts_are_kept_until_the_listing_is_purged(articles, article_index):
    assert page_of(articles, 1).paginator.count == 23
    ArticlePageFactory(parent=article_index, published_at=timezone.now())
    ArticlePage.objects.filter(pk=articles.first().pk).update(live=False)
    purge_tags({"some:other-listing"})
    assert page_of(articles, 1).paginator.count == 23  # not this listing's tag
    purge_tags({"test:listing"})
    assert page_of(articles, 1).paginator.count == 23  # one in, one out
    assert page_of(articles, 5).paginator.num_pages == 5


@pytest.mark.parametrize("junk", ["0", "6", "abc", "-1", "1e9", "99999999999999"])
def test_junk_page_numbers_are_404(articles, junk):
    from django.http import Http404

    with pytest.raises(Http404):
        page_of(articles, junk)


def test_an_empty_listing_has_one_empty_page_or_is_404(article_index):
    from django.http import Http404

    nothing = ArticlePage.objects.filter(pk=None)
    empty = Keyset("published_at", name="test:empty", depends_on=["test:empty"])
    assert list(page_of(nothing, 1, keyset=empty)) == []
    request = RequestFactory().get("/")
    with pytest.raises(Http404):
        paginate(request, nothing, allow_empty=False, keyset=empty)

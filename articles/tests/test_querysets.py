import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from cms.factories import UserFactory

pytestmark = pytest.mark.django_db


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_published_excludes_drafts_future_dates_and_private_pages(article_index):
    ArticlePageFactory(parent=article_index, title="Out")
    ArticlePageFactory(parent=article_index, title="Draft", live=False)
    ArticlePageFactory(
        parent=article_index,
        title="Tomorrow",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    ArticlePageFactory(parent=article_index, title="Never stamped", published_at=None)
    private = ArticlePageFactory(parent=article_index, title="Members only")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )

    assert titles(ArticlePage.objects.published()) == {"Out"}


def test_by_author_recent_tagged_and_featured(article_index):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    now = timezone.now()
    ArticlePageFactory(
        parent=article_index,
        title="A new",
        author=alice,
        tags=["rust"],
        published_at=now - datetime.timedelta(days=2),
        featured=True,
    )
    ArticlePageFactory(
        parent=article_index,
        title="A old",
        author=alice,
        tags=["rust", "go"],
        published_at=now - datetime.timedelta(days=40),
    )
    ArticlePageFactory(
        parent=article_index,
        title="B new",
        author=bob,
        tags=["go"],
        published_at=now - datetime.timedelta(days=1),
    )
    articles = ArticlePage.objects

    assert titles(articles.by_author(alice)) == {"A new", "A old"}
    assert titles(articles.recent(7)) == {"A new", "B new"}
    assert titles(articles.recent(days=60)) == {"A new", "A old", "B new"}
    assert titles(articles.tagged("rust")) == {"A new", "A old"}
    assert titles(articles.featured()) == {"A new"}
    assert titles(articles.published().recent(30)) == {"A new", "B new"}


def test_predicates_chain_in_any_order(article_index):
    alice = UserFactory(username="alice")
    ArticlePageFactory(parent=article_index, author=alice, tags=["go"])
    ArticlePageFactory(parent=article_index, author=alice, tags=["go"], live=False)
    ArticlePageFactory(parent=article_index, tags=["go"])

    one_way = ArticlePage.objects.published().by_author(alice).tagged("go").recent(30)
    other_way = ArticlePage.objects.recent(30).tagged("go").by_author(alice).published()

    assert list(one_way) == list(other_way)
    assert one_way.count() == 1


def test_default_ordering_is_newest_first(article_index):
    now = timezone.now()
    for days, title in [(3, "third"), (1, "first"), (2, "second")]:
        ArticlePageFactory(
            parent=article_index,
            title=title,
            published_at=now - datetime.timedelta(days=days),
        )
    ordered = ArticlePage.objects.values_list("title", flat=True)
    assert list(ordered) == ["first", "second", "third"]


def test_related_to_ranks_by_shared_tags_then_recency(article_index):
    now = timezone.now()
    subject = ArticlePageFactory(parent=article_index, tags=["a", "b", "c"])

    def make(title, tags, days):
        return ArticlePageFactory(
            parent=article_index,
            title=title,
            tags=tags,
            published_at=now - datetime.timedelta(days=days),
        )

    make("two tags, old", ["a", "b"], 9)
    make("one tag, newest", ["c"], 1)
    make("one tag, older", ["a"], 5)
    make("no tags, newest", [], 0)
    make("three tags", ["a", "b", "c"], 20)

    related = ArticlePage.objects.published().related_to(subject)
    assert list(related.values_list("title", flat=True)) == [
        "three tags",
        "two tags, old",
        "one tag, newest",
    ]


def test_for_listing_costs_a_constant_number_of_queries(
    article_index, django_assert_num_queries
):
    for n in range(6):
        ArticlePageFactory(parent=article_index, tags=[f"t{n}", "common"])

    # 1 articles + authors + images, 1 tags, 1 renditions.
    with django_assert_num_queries(3):
        for article in ArticlePage.objects.for_listing():
            _ = (article.author.username, article.featured_image.title)
            _ = [tag.name for tag in article.tags.all()]
            _ = list(article.featured_image.renditions.all())

"""Most-read articles: ranking, display, and purging when the ranking changes."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from articles.factories import ArticlePageFactory
from engagement.models import DailyPageViews
from engagement.popular import popular_ids, rank_popular, refresh_popular
from engagement.selectors import popular_pages

pytestmark = pytest.mark.django_db


def views(article, count: int, days_ago: int = 0) -> None:
    DailyPageViews.objects.create(
        page=article,
        day=timezone.localdate() - timedelta(days=days_ago),
        views=count,
    )


@pytest.fixture
def trio(article_index):
    return [
        ArticlePageFactory(parent=article_index, title=title)
        for title in ("Quiet one", "Big hit", "Steady seller")
    ]


def test_ranked_by_views_in_the_last_seven_days(trio):
    quiet, hit, steady = trio
    views(quiet, 1)
    views(hit, 50)
    views(hit, 10, days_ago=3)
    views(steady, 20, days_ago=1)
    views(steady, 20, days_ago=6)
    views(quiet, 1000, days_ago=7)  # eight days ago: outside the window
    assert rank_popular() == [hit.pk, steady.pk, quiet.pk]


def test_unpublished_articles_are_never_popular(trio):
    quiet, hit, _ = trio
    views(quiet, 1)
    views(hit, 50)
    hit.unpublish()
    assert rank_popular() == [quiet.pk]


def test_at_most_five(article_index):
    for n in range(7):
        views(ArticlePageFactory(parent=article_index), n + 1)
    assert len(rank_popular()) == 5


def test_home_and_article_sidebar_show_the_list_in_order(trio):
    quiet, hit, steady = trio
    views(hit, 9)
    views(steady, 5)
    home = Client().get("/").content.decode()
    section = home[home.index("Most read this week") :]
    assert section.index("Big hit") < section.index("Steady seller")
    assert "Quiet one" not in section

    sidebar = Client().get(hit.url).content.decode()
    sidebar = sidebar[sidebar.index("Most read this week") :]
    assert "Steady seller" in sidebar
    assert "Big hit" not in sidebar  # not recommended to itself


def test_articles_share_one_rendering_of_the_list(trio, article_index):
    quiet, hit, steady = trio
    views(hit, 9)
    views(steady, 5)
    other = ArticlePageFactory(parent=article_index, title="Not ranked")
    with mock.patch(
        "engagement.templatetags.engagement_tags.popular_pages",
        wraps=popular_pages,
    ) as load:
        for article in (quiet, other, quiet):
            sidebar = Client().get(article.url).content.decode()
            sidebar = sidebar[sidebar.index("Most read this week") :]
            assert sidebar.index("Big hit") < sidebar.index("Steady seller")
    assert load.call_count == 1  # rendered once, then the cached fragment


def test_ranking_is_kept_in_the_cache(trio, django_assert_num_queries):
    views(trio[0], 3)
    assert popular_ids() == [trio[0].pk]
    with django_assert_num_queries(0):
        assert popular_ids() == [trio[0].pk]


def test_refresh_purges_cached_pages_only_when_the_ranking_changes(trio):
    quiet, hit, _ = trio
    views(quiet, 5)
    views(hit, 3)
    reader = Client()
    reader.get("/")
    assert reader.get("/")["X-Wagtail-Cache"] == "hit"

    assert refresh_popular() is False  # same ranking: pages stay cached
    assert reader.get("/")["X-Wagtail-Cache"] == "hit"

    views(hit, 10, days_ago=1)
    assert refresh_popular() is True
    page = reader.get("/")
    assert page["X-Wagtail-Cache"] == "miss"
    section = page.content.decode()
    section = section[section.index("Most read this week") :]
    assert section.index("Big hit") < section.index("Quiet one")


def test_unpublishing_refreshes_the_list(trio, django_capture_on_commit_callbacks):
    quiet, hit, _ = trio
    views(quiet, 5)
    views(hit, 50)
    assert popular_ids() == [hit.pk, quiet.pk]
    with django_capture_on_commit_callbacks(execute=True):
        hit.unpublish()
    assert popular_ids() == [quiet.pk]
    assert "Big hit" not in Client().get("/").content.decode()

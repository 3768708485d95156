"""Query budgets for every public page, and proof they do not grow with content.

Each page is requested once to warm up (the first view of an image generates its
renditions), then counted. Counts must be identical with 5 and with 50 articles.
"""

import pytest

from articles.sample_site import QUERY_BUDGETS as BUDGETS
from articles.sample_site import build_sample_site
from articles.tests.query_counts import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_request(settings):
    # Count what rendering costs: with the page cache on, the second request would
    # be a hit with no queries at all.
    settings.WAGTAIL_CACHE = False


def build_site(article_index, count: int) -> dict[str, str]:
    return build_sample_site(article_index, count)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_page_stays_within_its_query_budget(
    client, article_index, page, django_assert_max_num_queries
):
    urls = build_site(article_index, 12)
    client.get(urls[page])  # warm-up
    with django_assert_max_num_queries(BUDGETS[page]):
        assert client.get(urls[page]).status_code == 200


def test_query_counts_do_not_grow_with_the_number_of_articles(client, article_index):
    small = {
        page: queries_for(client, url)
        for page, url in build_site(article_index, 5).items()
    }
    # Same pages again once the site holds 50 more articles.
    large_urls = build_site(article_index, 50)
    large = {page: queries_for(client, url) for page, url in large_urls.items()}
    print("queries with 5 articles:", small, "with 55:", large)
    assert small == large

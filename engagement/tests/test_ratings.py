"""Ratings: one per reader per article, re-rating replaces, shown everywhere."""

import pytest
from django.test import Client

from articles.factories import ArticlePageFactory
from engagement.models import Rating

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(parent=article_index, title="Rated piece", slug="rated")


def rate(client, article, score, **extra):
    return client.post(
        f"/reader/pages/{article.pk}/rating/", {"score": score}, **{**JSON, **extra}
    )


def test_rating_is_stored_and_summarised(client, article):
    response = rate(client, article, 4)
    assert response.status_code == 200
    assert response.json() == {"score": 4, "average": 4.0, "count": 1}
    assert response.cookies["pw_reader"]["httponly"]


def test_re_rating_replaces_the_readers_earlier_score(client, article):
    rate(client, article, 2)
    response = rate(client, article, 5)
    assert response.json() == {"score": 5, "average": 5.0, "count": 1}
    assert Rating.objects.get().score == 5


def test_each_reader_counts_once(article):
    first, second = Client(), Client()
    rate(first, article, 2)
    rate(second, article, 5)
    rate(first, article, 3)
    assert rate(second, article, 4).json() == {"score": 4, "average": 3.5, "count": 2}


def test_forged_reader_cookie_gets_a_new_token(client, article):
    client.cookies["pw_reader"] = "someone-else"
    rate(client, article, 1)
    assert Rating.objects.get().reader != "someone-else"


@pytest.mark.parametrize("score", ["0", "6", "-1", "abc", "", "4.5", "\x00"])
def test_invalid_score_is_a_400(client, article, score):
    response = rate(client, article, score)
    assert response.status_code == 400
    assert "1 to 5" in response.json()["error"]
    assert not Rating.objects.exists()


def test_rating_flood_gets_429(client, article, settings):
    settings.RATING_RATE_LIMIT = "2/600"
    assert [rate(client, article, 3).status_code for _ in range(3)] == [200, 200, 429]


def test_without_javascript_rating_returns_to_the_respond_page(client, article):
    response = client.post(f"/reader/pages/{article.pk}/rating/", {"score": 3})
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=rating")
    assert "Thank you for rating" in client.get(response["Location"]).content.decode()


def test_average_shows_on_the_article_and_on_listings(
    article, django_capture_on_commit_callbacks
):
    reader = Client()
    assert "Not rated yet" in reader.get(article.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        rate(Client(), article, 5)
        rate(Client(), article, 4)
    page = reader.get(article.url)
    assert page["X-Wagtail-Cache"] == "miss"  # the rating purged the cached page
    assert "★ 4.5 out of 5 from 2 ratings" in page.content.decode()
    assert "★ 4.5 (2)" in reader.get("/articles/").content.decode()
    assert "★ 4.5 (2)" in reader.get("/").content.decode()

"""Admin form validation for articles: clear field errors, nothing saved."""

import datetime

import pytest
from django.utils import timezone

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from articles.models import ArticlePage
from articles.tests.admin_forms import add_article_url, article_form_data, edit_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in_editor(client, editor):
    client.force_login(editor)
    return client


def post_new(client, index, **fields):
    before = ArticlePage.objects.count()
    response = client.post(add_article_url(index), article_form_data(**fields))
    return response, ArticlePage.objects.count() - before


def field_errors(response, field: str) -> list[str]:
    form = response.context["form"]
    return [str(error) for error in form.errors.get(field, [])]


def test_duplicate_title_is_a_field_error_case_insensitively(
    logged_in_editor, article_index
):
    ArticlePageFactory(parent=article_index, title="Bridges of the North")

    response, created = post_new(
        logged_in_editor, article_index, title="bridges OF the north", slug="other"
    )

    assert response.status_code == 200
    assert created == 0
    assert "already exists" in field_errors(response, "title")[0]


def test_duplicate_slug_is_refused_across_all_article_indexes(
    logged_in_editor, home_page, article_index
):
    second_index = ArticleIndexPageFactory(parent=home_page, slug="opinion")
    ArticlePageFactory(parent=article_index, slug="taken", title="First")

    response, created = post_new(
        logged_in_editor, second_index, title="Second", slug="taken"
    )

    assert created == 0
    assert "already used by another article" in field_errors(response, "slug")[0]


def test_empty_slug_is_generated_from_the_title(logged_in_editor, article_index):
    response, created = post_new(
        logged_in_editor, article_index, title="Night Trains Return", slug=""
    )

    assert response.status_code == 302, response.context["form"].errors
    assert created == 1
    assert ArticlePage.objects.get(title="Night Trains Return").slug == (
        "night-trains-return"
    )


def test_generated_slug_that_clashes_is_an_error(logged_in_editor, article_index):
    ArticlePageFactory(parent=article_index, slug="night-trains", title="Old")

    response, created = post_new(
        logged_in_editor, article_index, title="Night trains", slug=""
    )

    assert created == 0
    assert field_errors(response, "slug")


def test_intro_longer_than_the_limit_is_refused(logged_in_editor, article_index):
    response, created = post_new(logged_in_editor, article_index, intro="x" * 301)

    assert created == 0
    assert field_errors(response, "intro")


@pytest.mark.parametrize(
    "fields, error_field",
    [
        ({"expire_at": "2001-01-01 10:00"}, "expire_at"),
        (
            {"go_live_at": "2031-01-02 10:00", "expire_at": "2031-01-01 10:00"},
            "go_live_at",
        ),
        ({"published_at": "not a date"}, "published_at"),
    ],
)
def test_bad_dates_are_field_errors(
    logged_in_editor, article_index, fields, error_field
):
    response, created = post_new(logged_in_editor, article_index, **fields)

    assert created == 0
    assert field_errors(response, error_field)


def test_editing_keeps_its_own_title_and_slug_valid(logged_in_editor, article_index):
    article = ArticlePageFactory(parent=article_index, title="Same", slug="same")

    response = logged_in_editor.post(
        edit_url(article), article_form_data(title="Same", slug="same")
    )

    assert response.status_code == 302


def test_backdated_published_at_is_kept(logged_in_editor, article_index):
    logged_in_editor.post(
        add_article_url(article_index),
        article_form_data(action="publish", published_at="2020-05-01 09:30"),
    )
    article = ArticlePage.objects.get(slug="a-fresh-article")
    assert article.published_at == datetime.datetime(
        2020, 5, 1, 9, 30, tzinfo=datetime.UTC
    )
    assert article.published_at < timezone.now()

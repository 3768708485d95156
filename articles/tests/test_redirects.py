"""Renaming or moving an article leaves a permanent redirect at its old address."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from articles.tests.admin_forms import article_form_data, edit_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_index, editor):
    page = ArticlePageFactory(parent=article_index, title="Old name", slug="old-name")
    page.save_revision(user=editor).publish(skip_permission_checks=True)
    return page


def test_changing_the_slug_in_the_admin_redirects_the_old_url(
    client, editor, article, django_capture_on_commit_callbacks
):
    reader = client.__class__()
    assert reader.get("/articles/old-name/").status_code == 200  # now cached

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(article),
            article_form_data("publish", title="New name", slug="new-name"),
        )
    assert response.status_code == 302

    old = reader.get("/articles/old-name/")
    assert old.status_code == 301
    assert old["Location"].endswith("/articles/new-name/")
    assert reader.get(old["Location"]).status_code == 200
    assert Redirect.objects.filter(old_path="/articles/old-name").exists()


def test_moving_an_article_redirects_the_old_url(
    client, editor, article, home_page, django_capture_on_commit_callbacks
):
    other_index = ArticleIndexPageFactory(parent=home_page, title="News", slug="news")
    reader = client.__class__()
    reader.get("/articles/old-name/")

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/pages/{article.pk}/move/{other_index.pk}/confirm/"
        )
    assert response.status_code == 302

    old = reader.get("/articles/old-name/")
    assert old.status_code == 301
    assert old["Location"].endswith("/news/old-name/")


def test_editors_manage_redirects_in_the_admin(client, editor, article):
    client.force_login(editor)
    assert client.get("/admin/redirects/").status_code == 200
    response = client.post(
        "/admin/redirects/add/",
        {
            "old_path": "/spring-special",
            "site": "",
            "is_permanent": "on",
            "redirect_page": article.pk,
            "redirect_link": "",
        },
    )
    assert response.status_code == 302
    assert client.get("/spring-special").status_code == 301


def test_authors_cannot_manage_redirects(client, author):
    client.force_login(author)
    response = client.get("/admin/redirects/")
    assert response.status_code == 302 and response["Location"] == "/admin/"

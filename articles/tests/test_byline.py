"""Whom an article's byline may name, through the admin's article form
(articles/forms.py, articles/roles.py)."""

import pytest
from django.contrib.auth.models import Group

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from articles.tests.admin_forms import add_article_url, article_form_data, edit_url
from cms.roles import AUTHORS, EDITORS

pytestmark = pytest.mark.django_db


def byline_choices(response) -> list[str]:
    """The byline menu as the page shows it (labels, without the empty choice)."""
    field = response.context["form"]["author"]
    return [label for value, label in field.field.choices if value != ""]


@pytest.fixture
def alice(django_user_model):
    user = django_user_model.objects.create_user(
        username="asmith", first_name="Alice", last_name="Smith"
    )
    user.groups.add(Group.objects.get(name=AUTHORS))
    return user


@pytest.fixture
def nameless_editor(django_user_model):
    user = django_user_model.objects.create_user(username="zed")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def outsider(django_user_model):
    """Someone with an account but no role."""
    return django_user_model.objects.create_user(
        username="visitor", first_name="Vera", last_name="Visitor"
    )


# --- Authors ------------------------------------------------------------------


def test_an_authors_byline_offers_only_herself(
    client, author, other_author, alice, article_index
):
    client.force_login(author)

    response = client.get(add_article_url(article_index))

    # The lead byline: herself only. (The co-author menu offers her colleagues:
    # articles/tests/test_coauthors.py.)
    assert byline_choices(response) == ["Author"]


@pytest.mark.parametrize("action", [None, "submit"])
def test_an_author_cannot_create_an_article_under_someone_elses_name(
    client, author, other_author, article_index, action
):
    client.force_login(author)

    response = client.post(
        add_article_url(article_index),
        article_form_data(action=action, author=other_author.pk),
    )

    assert response.status_code == 200  # the form again, with the error
    (error,) = response.context["form"].errors["author"]
    assert "You can only be the byline of your own articles" in error
    assert not ArticlePage.objects.filter(slug="a-fresh-article").exists()


@pytest.mark.parametrize("action", [None, "submit"])
def test_an_author_cannot_move_her_article_to_someone_elses_name(
    client, author, other_author, article_index, action
):
    article = ArticlePageFactory(
        parent=article_index, author=author, owner=author, live=False
    )
    article.save_revision(user=author)
    client.force_login(author)

    response = client.post(
        edit_url(article),
        article_form_data(action=action, title=article.title, author=other_author.pk),
    )

    assert response.status_code == 200
    assert "author" in response.context["form"].errors
    article.refresh_from_db()
    assert article.author == author
    assert article.get_latest_revision_as_object().author == author
    assert article.current_workflow_state is None  # nothing went to review


@pytest.mark.parametrize("byline", ["self", "blank"])
def test_an_author_writes_under_her_own_name(client, author, article_index, byline):
    client.force_login(author)
    value = author.pk if byline == "self" else ""

    response = client.post(
        add_article_url(article_index), article_form_data(author=value)
    )

    assert response.status_code == 302
    assert ArticlePage.objects.get(slug="a-fresh-article").author == author


# --- Editors ------------------------------------------------------------------


def test_an_editors_byline_offers_authors_and_editors_by_full_name(
    client, editor, author, alice, nameless_editor, outsider, superuser, article_index
):
    client.force_login(editor)

    response = client.get(add_article_url(article_index))

    # Full names, the username where there is none; no superuser or outsider.
    assert byline_choices(response) == ["zed", "Alice Smith", "Author", "Editor"]
    html = response.content.decode()
    assert ">Alice Smith<" in html and ">asmith<" not in html


def test_an_editor_credits_an_author(client, editor, alice, article_index):
    client.force_login(editor)

    response = client.post(
        add_article_url(article_index),
        article_form_data(action="publish", author=alice.pk),
    )

    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="a-fresh-article")
    assert article.author == alice and article.live


@pytest.mark.parametrize("who", ["outsider", "superuser"])
def test_an_editor_cannot_credit_someone_without_a_role(
    client, request, editor, article_index, who
):
    client.force_login(editor)
    person = request.getfixturevalue(who)

    response = client.post(
        add_article_url(article_index), article_form_data(author=person.pk)
    )

    assert response.status_code == 200
    (error,) = response.context["form"].errors["author"]
    assert "Authors or Editors group" in error
    assert not ArticlePage.objects.filter(slug="a-fresh-article").exists()


def test_the_current_byline_stays_when_an_editor_saves(
    client, editor, superuser, article_index
):
    """A byline outside the groups (here the superuser's own article) is kept by a
    save that does not touch it."""
    article = ArticlePageFactory(parent=article_index, author=superuser)
    client.force_login(editor)

    response = client.post(
        edit_url(article),
        article_form_data(action="publish", title="Retitled", author=superuser.pk),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Retitled" and article.author == superuser

"""Unique titles and slugs that understand Wagtail: the page's own autosaved copy,
aliases and copies. Through the admin, as an editor would use it."""

import pytest
from django.urls import reverse

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from articles.models import ArticlePage
from articles.tests.admin_forms import add_article_url, article_form_data, edit_url

pytestmark = pytest.mark.django_db

DUPLICATE_TITLE = "An article with this title already exists"


@pytest.fixture
def logged_in_editor(client, editor):
    client.force_login(editor)
    return client


def test_publish_racing_the_create_views_first_autosave_saves_that_page(
    logged_in_editor, article_index
):
    """The create view's first autosave creates the page; the click on Publish
    that raced it still posts to the create view, with the same title and slug.
    Before: "An article with this title already exists", against its own copy."""
    url = add_article_url(article_index)
    autosave = logged_in_editor.post(
        url,
        article_form_data(title="Flood warning", slug="flood-warning"),
        HTTP_ACCEPT="application/json",
    )
    assert autosave.json()["success"] is True

    response = logged_in_editor.post(
        url,
        article_form_data(
            action="publish",
            title="Flood warning",
            slug="flood-warning",
            intro="Final intro.",
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    article = ArticlePage.objects.get()
    assert article.pk == autosave.json()["pk"]
    assert article.live
    assert article.intro == "Final intro."


def test_another_editors_unpublished_page_is_still_a_duplicate(
    client, editor, colleague_editor, article_index
):
    client.force_login(colleague_editor)
    client.post(
        add_article_url(article_index),
        article_form_data(title="Flood warning", slug="flood-warning"),
        HTTP_ACCEPT="application/json",
    )
    client.force_login(editor)

    response = client.post(
        add_article_url(article_index),
        article_form_data(title="Flood warning", slug="flood-warning"),
    )

    assert response.status_code == 200
    assert DUPLICATE_TITLE in response.content.decode()
    assert ArticlePage.objects.count() == 1


def test_my_own_earlier_draft_is_still_a_duplicate(logged_in_editor, article_index):
    """Only a page autosave created in this browser session is "my own copy"; a
    draft saved deliberately before is another article."""
    url = add_article_url(article_index)
    assert logged_in_editor.post(url, article_form_data()).status_code == 302

    response = logged_in_editor.post(url, article_form_data(intro="Second."))

    assert DUPLICATE_TITLE in response.content.decode()
    assert ArticlePage.objects.get().intro != "Second."


@pytest.fixture
def colleague_editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username="colleague")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def original(article_index, editor):
    article = ArticlePageFactory(
        parent=article_index, title="Harbour reopens", slug="harbour-reopens"
    )
    article.save_revision(user=editor).publish()
    return article


@pytest.fixture
def other_index(home_page):
    return ArticleIndexPageFactory(parent=home_page, title="Opinion", slug="opinion")


def save(client, page, **fields):
    data = article_form_data(title=page.title, slug=page.slug, **fields)
    return client.post(edit_url(page), data)


def test_an_alias_does_not_make_its_original_unsaveable(
    logged_in_editor, original, other_index
):
    alias = original.create_alias(parent=other_index)
    assert alias.alias_of_id == original.pk and alias.title == original.title

    response = save(logged_in_editor, original, action="publish", intro="Updated.")

    assert response.status_code == 302, response.context["form"].errors
    assert ArticlePage.objects.get(pk=original.pk).intro == "Updated."
    # Publishing the original updates its alias, as Wagtail does.
    assert ArticlePage.objects.get(pk=alias.pk).intro == "Updated."


def test_an_alias_made_through_the_copy_view_is_allowed(
    logged_in_editor, original, other_index
):
    response = logged_in_editor.post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": original.title,
            "new_slug": original.slug,
            "new_parent_page": other_index.pk,
            "alias": "on",
        },
    )

    assert response.status_code == 302
    assert ArticlePage.objects.filter(alias_of=original).count() == 1
    assert save(logged_in_editor, original).status_code == 302


def test_a_new_article_cannot_take_a_title_through_an_alias(
    logged_in_editor, original, other_index
):
    original.create_alias(parent=other_index)

    response = logged_in_editor.post(
        add_article_url(other_index),
        article_form_data(title="Harbour Reopens", slug="another-slug"),
    )

    assert DUPLICATE_TITLE in response.content.decode()


def test_a_same_title_copy_is_refused_in_the_copy_view(
    logged_in_editor, original, other_index
):
    response = logged_in_editor.post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": original.title,
            "new_slug": "harbour-reopens-2",
            "new_parent_page": other_index.pk,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_title"] == [
        "An article with this title already exists. Choose another title."
    ]
    assert ArticlePage.objects.count() == 1


def test_a_copy_keeping_the_slug_elsewhere_is_refused(
    logged_in_editor, original, other_index
):
    response = logged_in_editor.post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": "Harbour reopens: the reactions",
            "new_slug": original.slug,
            "new_parent_page": other_index.pk,
        },
    )

    assert "already used by another article" in str(
        response.context["form"].errors["new_slug"]
    )
    assert ArticlePage.objects.count() == 1


def test_a_copy_with_its_own_title_and_slug_is_made(logged_in_editor, original):
    response = logged_in_editor.post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": "Harbour reopens: the reactions",
            "new_slug": "harbour-reactions",
            "new_parent_page": original.get_parent().pk,
        },
    )

    assert response.status_code == 302
    assert ArticlePage.objects.filter(slug="harbour-reactions").exists()


def test_a_same_title_copy_made_outside_the_copy_view_leaves_the_original_saveable(
    logged_in_editor, original, other_index
):
    """page.copy() in code skips every form: the first article keeps its title,
    the later copy has to change it before it can be saved."""
    copy = original.copy(to=other_index, update_attrs={"live": False})

    assert save(logged_in_editor, original, intro="Still mine.").status_code == 302
    refused = save(logged_in_editor, copy, intro="Copy edits.")
    assert DUPLICATE_TITLE in refused.content.decode()
    # Renaming the original onto a later article's title is still a duplicate.
    other = ArticlePageFactory(parent=other_index, title="Later", slug="later")
    renamed = logged_in_editor.post(
        edit_url(original),
        article_form_data(title="later", slug=original.slug),
    )
    assert DUPLICATE_TITLE in renamed.content.decode()
    assert other.pk > original.pk

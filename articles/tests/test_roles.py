"""Authors and Editors, exercised through the admin views as a person would."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    PageLogEntry,
    Revision,
    WorkflowPage,
    WorkflowTask,
)

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from articles.roles import grant_article_index
from articles.tests.admin_forms import add_article_url, article_form_data, edit_url
from cms.roles import AUTHORS, EDITORS, ensure_roles

pytestmark = pytest.mark.django_db


def test_author_creates_a_draft_that_is_not_live(client, author, article_index):
    client.force_login(author)

    response = client.post(add_article_url(article_index), article_form_data())

    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="a-fresh-article")
    assert not article.live
    assert article.owner == author


def test_author_cannot_publish(client, author, article_index):
    client.force_login(author)

    client.post(add_article_url(article_index), article_form_data(action="publish"))

    article = ArticlePage.objects.get(slug="a-fresh-article")
    assert not article.live
    assert Revision.page_revisions.filter(object_id=str(article.pk)).exists()
    assert not PageLogEntry.objects.filter(
        page=article, action="wagtail.publish"
    ).exists()

    # Publishing an existing draft through the edit view fails the same way.
    client.post(edit_url(article), article_form_data(action="publish"))
    article.refresh_from_db()
    assert not article.live
    assert not PageLogEntry.objects.filter(
        page=article, action="wagtail.publish"
    ).exists()


def test_author_can_edit_own_draft(client, author, article_index):
    client.force_login(author)
    client.post(add_article_url(article_index), article_form_data())
    article = ArticlePage.objects.get(slug="a-fresh-article")

    assert client.get(edit_url(article)).status_code == 200
    response = client.post(edit_url(article), article_form_data(title="Better title"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().title == "Better title"


@pytest.fixture
def someone_elses_article(article_index, other_author):
    return ArticlePageFactory(
        parent=article_index,
        author=other_author,
        owner=other_author,
        title="Not yours",
        live=False,
    )


def assert_refused(response):
    # 405: lock/unlock accept only POST, so a GET is refused before any check.
    assert response.status_code in (302, 403, 405), response.status_code
    if response.status_code == 302:
        assert (
            "/admin/login" in response["Location"] or response["Location"] == "/admin/"
        )


@pytest.mark.parametrize(
    "view",
    ["edit", "delete", "unpublish", "history", "lock", "unlock", "preview_on_edit"],
)
def test_author_cannot_reach_another_authors_article(
    client, author, someone_elses_article, view
):
    article = someone_elses_article
    article.save_revision(user=article.owner)
    client.force_login(author)
    url = reverse(f"wagtailadmin_pages:{view}", args=[article.pk])

    assert_refused(client.get(url))
    assert_refused(client.post(url, article_form_data(title="Hijacked")))

    article.refresh_from_db()
    assert article.title == "Not yours"
    assert not article.locked
    assert ArticlePage.objects.filter(pk=article.pk).exists()
    assert article.get_latest_revision_as_object().title == "Not yours"


def test_author_cannot_view_another_authors_revision(
    client, author, someone_elses_article
):
    revision = someone_elses_article.save_revision(user=someone_elses_article.owner)
    client.force_login(author)
    for name in ("revisions_view", "revisions_revert"):
        url = reverse(
            f"wagtailadmin_pages:{name}", args=[someone_elses_article.pk, revision.pk]
        )
        assert_refused(client.get(url))


def test_author_cannot_edit_the_home_page_or_create_indexes(client, author, home_page):
    client.force_login(author)
    assert_refused(client.get(edit_url(home_page)))
    url = reverse(
        "wagtailadmin_pages:add", args=["articles", "articleindexpage", home_page.pk]
    )
    assert_refused(client.get(url))


def test_editor_publishes_directly(client, editor, article_index):
    client.force_login(editor)

    client.post(add_article_url(article_index), article_form_data(action="publish"))

    article = ArticlePage.objects.get(slug="a-fresh-article")
    assert article.live
    assert article.published_at is not None
    assert client.get(article.url).status_code == 200


def test_editor_can_edit_unpublish_and_lock_any_article(
    client, editor, article_index, other_author
):
    article = ArticlePageFactory(parent=article_index, author=other_author)
    article.save_revision().publish(skip_permission_checks=True)
    client.force_login(editor)

    assert client.get(edit_url(article)).status_code == 200
    client.post(reverse("wagtailadmin_pages:lock", args=[article.pk]))
    article.refresh_from_db()
    assert article.locked

    client.post(reverse("wagtailadmin_pages:unlock", args=[article.pk]))
    client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    article.refresh_from_db()
    assert not article.locked
    assert not article.live


def test_can_edit_article_delegates_to_wagtail_permissions(
    author, other_author, editor, someone_elses_article
):
    assert editor.can_edit_article(someone_elses_article)
    assert other_author.can_edit_article(someone_elses_article)  # the owner
    assert not author.can_edit_article(someone_elses_article)


@pytest.mark.parametrize("view", ["add", "edit"])
def test_anonymous_admin_urls_redirect_to_login(client, article_index, view):
    article = ArticlePageFactory(parent=article_index)
    url = add_article_url(article_index) if view == "add" else edit_url(article)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_deleting_an_author_in_the_admin_keeps_their_articles(
    client, superuser, author, article_index
):
    article = ArticlePageFactory(parent=article_index, author=author, owner=author)
    client.force_login(superuser)

    response = client.post(reverse("wagtailusers_users:delete", args=[author.pk]))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.author is None and article.owner is None
    assert article.live


def role_grants() -> dict:
    """Every grant the two roles hold, as comparable values."""
    grants = {}
    for group in Group.objects.filter(name__in=[AUTHORS, EDITORS]):
        grants[group.name] = {
            "model": sorted(
                group.permissions.values_list("content_type__app_label", "codename")
            ),
            "page": sorted(
                GroupPagePermission.objects.filter(group=group).values_list(
                    "page_id", "permission__codename"
                )
            ),
            "collection": sorted(
                GroupCollectionPermission.objects.filter(group=group).values_list(
                    "collection_id", "permission__codename"
                )
            ),
        }
    grants["workflow pages"] = sorted(
        WorkflowPage.objects.values_list("page_id", "workflow__name")
    )
    grants["workflow tasks"] = sorted(
        WorkflowTask.objects.values_list("workflow__name", "task__name")
    )
    return grants


def test_migrations_grant_exactly_what_the_live_roles_declare(article_index):
    """The frozen grants in the migrations and cms/roles.py + articles/roles.py
    agree: applying the live declarations to the migrated database (twice, so
    they are idempotent too) changes nothing."""
    migrated = role_grants()
    assert ("engagement", "change_comment") in migrated[EDITORS]["model"]
    assert ("engagement", "view_comment") in migrated[AUTHORS]["model"]
    assert (article_index.pk, "add_page") in migrated[AUTHORS]["page"]

    for _ in range(2):
        ensure_roles()
        grant_article_index(article_index.pk)

    assert role_grants() == migrated

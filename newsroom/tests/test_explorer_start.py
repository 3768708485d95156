"""Editors and Authors open the "Pages" menu at the article index."""

import pytest
from django.test import RequestFactory
from wagtail.admin.menu import admin_menu

from articles.factories import ArticleIndexPageFactory

pytestmark = pytest.mark.django_db


def explorer_start(user) -> int | None:
    request = RequestFactory().get("/admin/")
    request.user = user
    items = admin_menu.render_component(request)
    explorer = next(item for item in items if item.name == "explorer")
    return explorer.start_page_id


def test_editors_and_authors_start_at_the_article_index(editor, author, article_index):
    assert explorer_start(editor) == article_index.pk
    assert explorer_start(author) == article_index.pk


def test_superusers_keep_wagtails_start(superuser, article_index):
    assert explorer_start(superuser) != article_index.pk


def test_with_two_indexes_wagtails_start_is_kept(editor, article_index, home_page):
    ArticleIndexPageFactory(parent=home_page, slug="opinion", title="Opinion")
    assert explorer_start(editor) == 1  # the tree root, as Wagtail computes it


def test_the_menu_renders_for_an_editor(client, editor, article_index):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "wagtail.sidebar.PageExplorerMenuItem" in html

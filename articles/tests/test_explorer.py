"""The explorer's listing of an article index (cms/explorer.py): the pages and
order Wagtail's listing shows, without counting, filtering by permission or
annotating the rows a deep page skips."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission, Page

from articles.factories import ArticlePageFactory
from cms.explorer import SectionExplorerView

pytestmark = pytest.mark.django_db

PER_PAGE = 3


@pytest.fixture
def articles(article_index, monkeypatch):
    monkeypatch.setattr(SectionExplorerView, "paginate_by", PER_PAGE)
    return [ArticlePageFactory(parent=article_index) for _ in range(8)]


def listed(client, index, **params) -> list[int]:
    response = client.get(f"/admin/pages/{index.pk}/", params)
    assert response.status_code == 200
    return [page.pk for page in response.context["pages"]]


def wagtail_order(index) -> list[int]:
    """The children as Wagtail's explorer orders them by default."""
    ordering = index.get_admin_default_ordering()
    assert ordering == "-latest_revision_created_at"
    return list(
        Page.objects.child_of(index)
        .order_by(F("latest_revision_created_at").desc(nulls_last=True), "pk")
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("role", ["editor", "author"])
def test_every_page_of_the_listing_in_wagtails_order(
    client, request, article_index, articles, role
):
    client.force_login(request.getfixturevalue(role))
    pages = [listed(client, article_index, p=number) for number in (1, 2, 3)]
    assert [pk for page in pages for pk in page] == wagtail_order(article_index)
    response = client.get(f"/admin/pages/{article_index.pk}/", {"p": 3})
    assert response.context["paginator"].count == 8
    assert client.get(f"/admin/pages/{article_index.pk}/", {"p": 9}).status_code in (
        200,
        404,
    )


def test_deep_page_annotates_only_its_own_rows(client, editor, article_index, articles):
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        listed(client, article_index, p=3)
    sql = [query["sql"] for query in queries.captured_queries]
    annotated = [q for q in sql if "_approved_schedule" in q]
    assert annotated and not any("OFFSET" in q for q in annotated)
    assert not any("COUNT(*)" in q and "wagtailcore_page" in q for q in sql)


def test_a_user_with_rights_on_two_articles_sees_only_what_they_may_explore(
    client, django_user_model, article_index, articles
):
    """No right on the index: Wagtail's permission filter applies as before."""
    group = Group.objects.create(name="Two articles")
    for article in articles[:2]:
        GroupPagePermission.objects.create(
            group=group,
            page=article,
            permission=Permission.objects.get(codename="change_page"),
        )
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user(username="guest", password=None)
    user.groups.add(group)
    client.force_login(user)
    shown = listed(client, article_index)
    assert sorted(shown) == sorted(article.pk for article in articles[:2])
    response = client.get(f"/admin/pages/{article_index.pk}/")
    assert response.context["paginator"].count == 2


def test_search_within_the_index_is_wagtails(client, editor, article_index, articles):
    client.force_login(editor)
    target = articles[4]
    found = listed(client, article_index, q=target.title)
    assert target.pk in found

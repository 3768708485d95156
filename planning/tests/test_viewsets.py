"""The assignments admin at /admin/planning/: Editors plan, Authors see and
advance what is theirs, and "Start writing" opens the new draft."""

import pytest
from django.utils import timezone

from articles.models import ArticlePage
from planning.models import PlanItem
from planning.permissions import PlanItemPermissionPolicy

pytestmark = pytest.mark.django_db


def form(**fields):
    data = {
        "title": "Ferry strike",
        "brief": "Talk to the crews.",
        "status": "idea",
        "due": "2030-05-04 10:00",
        "assignees": [],
    }
    data.update(fields)
    return data


def test_editor_creates_an_assignment(client, editor, author):
    client.force_login(editor)
    assert client.get("/admin/planning/new/").status_code == 200
    response = client.post("/admin/planning/new/", form(assignees=[author.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    item = PlanItem.objects.get(title="Ferry strike")
    assert list(item.assignees.all()) == [author]
    assert item.status == PlanItem.Status.ASSIGNED


def test_listing_per_role(client, editor, author, idea, assignment):
    client.force_login(editor)
    assert client.get(f"/admin/planning/history/{idea.pk}/").status_code == 200
    html = client.get("/admin/planning/").content.decode()
    assert "Harbour dredging plan" in html and "Night trains return" in html
    html = client.get("/admin/planning/", {"status": "idea"}).content.decode()
    assert "Harbour dredging plan" in html and "Night trains return" not in html
    client.force_login(author)
    html = client.get("/admin/planning/").content.decode()
    assert "Night trains return" in html
    assert "Harbour dredging plan" not in html


def test_listing_shows_the_due_date(client, editor, assignment):
    """The date itself, not a "time ago", which reads "Just now" for any date
    still to come (Wagtail's DateColumn)."""
    client.force_login(editor)
    html = client.get("/admin/planning/").content.decode()
    due = timezone.localtime(assignment.due)
    assert f"{due:%a} {due.day} {due:%b %Y}, 17:00" in html
    assert "Just now" not in html


def test_authors_neither_create_nor_open_others_items(client, author, idea):
    client.force_login(author)
    assert client.get("/admin/planning/new/").status_code in (302, 403)
    assert client.post("/admin/planning/new/", form()).status_code in (302, 403)
    assert not PlanItem.objects.filter(title="Ferry strike").exists()
    for view in ("edit", "history", "usage"):
        assert client.get(f"/admin/planning/{view}/{idea.pk}/").status_code == 404
    assert client.get(f"/admin/planning/delete/{idea.pk}/").status_code in (
        302,
        403,
        404,
    )


def test_author_changes_only_the_status_and_only_forward(client, author, assignment):
    client.force_login(author)
    url = f"/admin/planning/edit/{assignment.pk}/"
    response = client.post(
        url, form(title="Renamed", status="editing", due="2031-01-01 10:00")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment.refresh_from_db()
    assert assignment.status == PlanItem.Status.EDITING
    assert assignment.title == "Night trains return"  # the rest is the Editor's
    assert list(assignment.assignees.all()) == [author]
    response = client.post(url, form(status="writing"))
    assert response.status_code == 200  # the form again, with the error
    assignment.refresh_from_db()
    assert assignment.status == PlanItem.Status.EDITING


def test_start_writing_from_the_admin(client, author, assignment, article_index):
    client.force_login(author)
    edit = client.get(f"/admin/planning/edit/{assignment.pk}/").content.decode()
    assert f"/admin/planning/{assignment.pk}/start-writing/" in edit
    response = client.post(f"/admin/planning/{assignment.pk}/start-writing/")
    page = ArticlePage.objects.get()
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert page.owner == author
    assert client.get(response["Location"]).status_code == 200
    edit = client.get(f"/admin/planning/edit/{assignment.pk}/").content.decode()
    assert f"/admin/pages/{page.pk}/edit/" in edit


def test_others_cannot_start_writing(client, other_author, assignment, article_index):
    client.force_login(other_author)
    response = client.post(f"/admin/planning/{assignment.pk}/start-writing/")
    assert response.status_code == 404
    assert not ArticlePage.objects.exists()


def test_permission_policy_names_the_newsroom(editor, author, django_user_model):
    django_user_model.objects.create_user(username="reader", password="pw-reader-1")
    policy = PlanItemPermissionPolicy(PlanItem)
    assert set(policy.users_with_permission("change")) == {editor, author}
    assert set(policy.users_with_permission("add")) == {editor}
    assert set(policy.users_with_any_permission(["add", "view"])) == {editor, author}

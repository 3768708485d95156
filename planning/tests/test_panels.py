"""The dashboard's "My assignments" panel, per role."""

import pytest

from planning.models import PlanItem

pytestmark = pytest.mark.django_db


def test_author_sees_her_open_assignments(client, author, idea, assignment):
    done = PlanItem.objects.create(title="Filed last week", status="ready")
    done.assignees.set([author])
    client.force_login(author)
    html = client.get("/admin/").content.decode()
    assert "My assignments" in html
    assert "Night trains return" in html
    assert f"/admin/planning/edit/{assignment.pk}/" in html
    assert "Start writing" in html
    assert "Assigned" in html
    assert "Harbour dredging plan" not in html  # not hers
    assert "Filed last week" not in html  # ready: no longer open


def test_editor_has_the_panel_with_her_own_items(client, editor, assignment):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "My assignments" in html
    assert "Nothing assigned to you right now." in html


def test_no_panel_for_admins_outside_the_newsroom(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="ops", password="pw-ops-12")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "My assignments" not in response.content.decode()
    assert client.get("/admin/calendar/").status_code in (302, 403)

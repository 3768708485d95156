"""Drops on the calendar: POST /admin/calendar/move/ moves a due date or
(re)schedules a page, within each person's permissions."""

import datetime

import pytest
from wagtail.models import Revision

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage

from .conftest import COMPLETE_DESCRIPTION, at

pytestmark = pytest.mark.django_db

URL = "/admin/calendar/move/"
JSON = {"HTTP_ACCEPT": "application/json"}


def scheduled_revisions(page):
    return Revision.page_revisions.filter(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )


@pytest.fixture
def scheduled_article(editor, article_index, next_week):
    from planning import services

    page = ArticlePageFactory(
        parent=article_index,
        live=False,
        title="Soon",
        tags=["rail"],
        search_description=COMPLETE_DESCRIPTION,
    )
    page.save_revision()
    services.schedule_page(
        page=page, day=next_week, user=editor, at=datetime.time(6, 15)
    )
    return page


def test_editor_reschedules_keeping_the_time(
    client, editor, scheduled_article, next_week
):
    client.force_login(editor)
    later = next_week + datetime.timedelta(days=1)
    before = Revision.page_revisions.count()
    response = client.post(
        URL, {"kind": "page", "pk": scheduled_article.pk, "date": later}, **JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["ok"]
    assert Revision.page_revisions.count() == before + 1
    (revision,) = scheduled_revisions(scheduled_article)
    assert revision.approved_go_live_at == at(later, 6).replace(minute=15)
    assert revision.user == editor
    assert ArticlePage.objects.get(pk=scheduled_article.pk).go_live_at == (
        revision.approved_go_live_at
    )


def test_author_may_not_reschedule(client, author, scheduled_article, next_week):
    client.force_login(author)
    response = client.post(
        URL,
        {"kind": "page", "pk": scheduled_article.pk, "date": next_week},
        **JSON,
    )
    assert response.status_code == 403
    assert "only people who may publish it" in response.json()["message"]
    (revision,) = scheduled_revisions(scheduled_article)
    assert revision.approved_go_live_at == at(next_week, 6).replace(minute=15)


def test_editor_drags_an_article_in_review_to_schedule_it(
    client, editor, article_in_review, next_week
):
    client.force_login(editor)
    response = client.post(
        URL, {"kind": "page", "pk": article_in_review.pk, "date": next_week}, **JSON
    )
    assert response.status_code == 200, response.content
    page = ArticlePage.objects.get(pk=article_in_review.pk)
    assert page.go_live_at == at(next_week, 9)
    assert page.current_workflow_state is None


def test_due_date_moves_for_editor_and_assignee_only(
    client, editor, author, other_author, assignment, next_week
):
    later = next_week + datetime.timedelta(days=2)
    client.force_login(other_author)
    response = client.post(
        URL, {"kind": "plan", "pk": assignment.pk, "date": later}, **JSON
    )
    assert response.status_code == 404  # not hers: as if it did not exist
    client.force_login(author)
    response = client.post(
        URL, {"kind": "plan", "pk": assignment.pk, "date": later}, **JSON
    )
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.due == at(later, 17)


def test_without_javascript_the_form_redirects_with_a_message(
    client, editor, idea, next_week
):
    client.force_login(editor)
    response = client.post(
        URL,
        {
            "kind": "plan",
            "pk": idea.pk,
            "date": next_week,
            "next": "/admin/calendar/?view=week",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/admin/calendar/?view=week"
    assert "is now due on" in response.content.decode()
    # An address elsewhere is not followed.
    response = client.post(
        URL,
        {
            "kind": "plan",
            "pk": idea.pk,
            "date": next_week,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/admin/calendar/"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "plan", "pk": "x", "date": "2026-01-01"},
        {"kind": "page", "pk": 1, "date": "someday"},
        {"kind": "other", "pk": 1, "date": "2026-01-01"},
        {"kind": "page", "pk": 1, "date": "2026-01-01", "time": "25:99"},
    ],
)
def test_bad_input_is_a_400(client, editor, data):
    client.force_login(editor)
    assert client.post(URL, data, **JSON).status_code == 400


def test_past_dates_and_missing_pages(client, editor, article_in_review):
    client.force_login(editor)
    response = client.post(
        URL, {"kind": "page", "pk": article_in_review.pk, "date": "2001-01-01"}, **JSON
    )
    assert response.status_code == 400
    assert "future" in response.json()["message"]
    response = client.post(
        URL, {"kind": "page", "pk": 999999, "date": "2099-01-01"}, **JSON
    )
    assert response.status_code == 404


def test_get_is_refused_and_csrf_is_checked(editor, idea, next_week):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(URL).status_code == 405
    response = client.post(URL, {"kind": "plan", "pk": idea.pk, "date": next_week})
    assert response.status_code == 403


def test_anonymous_visitors_go_to_the_login(client):
    for response in (client.get("/admin/calendar/"), client.post(URL, {})):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_drop_does_not_publish_what_fails_the_pre_publish_checks(
    client, editor, article_index, next_week
):
    # No tag and no search description: approving it from the calendar would
    # publish it past the checks, whose override (with a reason) is the editor's.
    page = ArticlePageFactory(
        parent=article_index, live=False, title="Unfinished", intro="Short."
    )
    page.save_revision()
    client.force_login(editor)
    response = client.post(
        URL, {"kind": "page", "pk": page.pk, "date": next_week}, **JSON
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "fails its pre-publish checks" in message
    assert "Add at least one tag." in message
    assert not scheduled_revisions(page).exists()
    assert ArticlePage.objects.get(pk=page.pk).go_live_at is None

"""Planning in a real browser: an Editor's assignment shows on the Author's
dashboard and calendar, she starts writing it, submits it, and the Editor
schedules it by dragging it onto a day of the calendar (HTML5 drag and drop,
calendar.js)."""

import datetime
import re

import pytest
from django.utils import timezone

from articles.models import ArticlePage
from e2e.test_editorial_flow import log_in, make_member
from planning import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_assign_write_and_schedule_by_dragging(
    live_server, new_page, shots, article_index, django_user_model
):
    amy = make_member(django_user_model, "amy", "Authors")
    eddie = make_member(django_user_model, "eddie", "Editors")
    today = timezone.localdate()
    due_day = today + datetime.timedelta(days=7 + (2 - today.weekday()) % 7)
    services.create_item(
        title="Night trains return",
        brief="The new sleeper line: timetable, fares, first ride.",
        due=timezone.make_aware(datetime.datetime.combine(due_day, datetime.time(17))),
        assignees=[amy],
        created_by=eddie,
    )
    base = live_server.url
    week = f"{base}/admin/calendar/?view=week&date={due_day.isoformat()}"

    # --- The Author finds it on her dashboard and calendar, and starts writing.
    author = new_page()
    log_in(author, base, "amy")
    author.get_by_role("heading", name=re.compile("My assignments")).wait_for()
    author.get_by_text("Night trains return").wait_for()
    shots(author, "dashboard-my-assignments")
    author.goto(week)
    author.locator(".planning-lane--planned").get_by_text(
        "Night trains return"
    ).wait_for()
    shots(author, "author-calendar-week")
    author.goto(f"{base}/admin/")
    author.get_by_role("link", name="Start writing").click()
    author.get_by_role("button", name="Start writing").click()
    author.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/"))
    page = ArticlePage.objects.get(title="Night trains return")
    assert page.owner == amy and not page.live
    page.get_workflow().start(page, amy)  # she submits it for review

    # --- The Editor drags it onto the next day: approved and scheduled.
    editor = new_page()
    log_in(editor, base, "eddie")
    editor.goto(week)
    entry = editor.locator('.planning-entry[data-kind="page"]', has_text="Night trains")
    target_day = due_day + datetime.timedelta(days=1)
    shots(editor, "editor-calendar-before-drag")
    with editor.expect_navigation():
        entry.drag_to(editor.locator(f'[data-date="{target_day.isoformat()}"]'))
    editor.locator(".planning-lane--scheduled").get_by_text(
        "Night trains return"
    ).wait_for()
    shots(editor, "editor-calendar-scheduled")
    editor.goto(f"{base}/admin/calendar/?date={target_day.isoformat()}")
    editor.locator(f'[data-date="{target_day.isoformat()}"]').get_by_text(
        "Night trains return"
    ).first.wait_for()
    shots(editor, "editor-calendar-month")
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.go_live_at == timezone.make_aware(
        datetime.datetime.combine(target_day, services.DEFAULT_GO_LIVE)
    )
    assert not page.live and page.current_workflow_state is None

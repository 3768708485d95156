"""Planning in a real browser, from idea to a reader's screen: an Editor creates
an idea and assigns it; the Author finds it on her dashboard and calendar, starts
writing, and the pre-publish checks refuse her submission until it has a featured
image; the Editor schedules it by dragging it onto a day of the calendar (HTML5
drag and drop, static/planning/calendar.js); the scheduler publishes it and an
anonymous reader sees it. Every step goes through the browser; the database is
only read, to check what the pages say, except to stand in for the clock."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import ArticlePage
from cms.tests.images import png_bytes
from e2e.test_editorial_flow import log_in, make_member
from planning import services
from planning.models import PlanItem

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Night trains return"
BRIEF = "The new sleeper line to the coast: timetable, fares, the first ride."
# 50-160 characters: the SEO description check reads the intro when there is no
# search description.
INTRO = "The sleeper train to the coast runs again: we took the first night ride."
BODY = "At ten past eleven the carriages pulled out of the central station."
TAG = "night-trains"


def open_actions_menu(page) -> None:
    """The footer's dropdown next to "Save draft", where "Submit to ..." is."""
    page.locator(
        "footer .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()


def test_assign_write_checks_schedule_by_dragging_goes_live(
    live_server, new_page, shots, article_index, django_user_model, tmp_path, settings
):
    # Wagtail's autosave (a background POST of the edit form half a second after
    # each change) is not what this test is about, and on the test server every
    # request and this test share one in-memory SQLite connection: an autosave in
    # flight makes the checks below fail with "database table is locked". Without
    # it, the refused submission is also the only thing that could have saved.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    amy = make_member(django_user_model, "amy", "Authors")
    make_member(django_user_model, "eddie", "Editors")
    picture = tmp_path / "sleeper.png"
    picture.write_bytes(png_bytes((800, 500), "darkgreen"))
    base = live_server.url
    today = timezone.localdate()
    # Wednesday of next week: always in the future, and Thursday is in its week.
    due_day = today + datetime.timedelta(days=7 + (2 - today.weekday()) % 7)
    week = f"{base}/admin/calendar/?view=week&date={due_day.isoformat()}"

    # --- 1. The Editor creates an idea, then assigns it to Amy, due next week.
    editor = new_page()
    log_in(editor, base, "eddie")
    editor.goto(f"{base}/admin/planning/")
    editor.get_by_role("link", name="Add assignment").first.click()
    editor.fill("#id_title", TITLE)
    editor.fill("#id_brief", BRIEF)
    editor.get_by_role("button", name="Create").click()
    editor.get_by_role("link", name=TITLE).wait_for()
    item = PlanItem.objects.get(title=TITLE)
    assert item.status == PlanItem.Status.IDEA and not item.assignees.exists()

    editor.get_by_role("link", name=TITLE).click()
    editor.wait_for_url(re.compile(rf".*/admin/planning/edit/{item.pk}/"))
    editor.get_by_label("Amy").check()
    editor.select_option("#id_status", PlanItem.Status.ASSIGNED)
    editor.fill("#id_due", f"{due_day.isoformat()} 17:00")
    editor.keyboard.press("Escape")  # close the date picker over the Save button
    editor.get_by_role("button", name="Save").click()
    editor.wait_for_url(re.compile(r".*/admin/planning/$"))
    row = editor.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("Assigned")
    expect(row).to_contain_text("Amy")
    expect(row).to_contain_text(f"{due_day:%a} {due_day.day} {due_day:%b %Y}, 17:00")
    shots(editor, "editor-assigns")
    item.refresh_from_db()
    assert item.status == PlanItem.Status.ASSIGNED
    assert list(item.assignees.all()) == [amy]
    assert timezone.localtime(item.due) == timezone.make_aware(
        datetime.datetime.combine(due_day, datetime.time(17))
    )

    # --- 2. The Author sees it on her dashboard and her calendar.
    author = new_page()
    log_in(author, base, "amy")
    panel = author.locator(".planning-my-assignments")
    panel.get_by_role("link", name=TITLE).wait_for()
    expect(panel.locator("tr", has_text=TITLE)).to_contain_text("Assigned")
    shots(author, "author-dashboard")
    author.goto(week)
    author.locator(
        f'[data-date="{due_day.isoformat()}"] .planning-lane--planned'
    ).get_by_text(TITLE).wait_for()
    shots(author, "author-calendar")

    # She starts writing from her dashboard: a draft under the article index.
    author.goto(f"{base}/admin/")
    panel.locator("tr", has_text=TITLE).get_by_role(
        "link", name="Start writing"
    ).click()
    author.get_by_role("button", name="Start writing").click()
    author.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    # The editor's own requests (its editing-session ping) done before the
    # database is read: the test server shares one SQLite connection.
    author.wait_for_load_state("networkidle")
    article = ArticlePage.objects.get(title=TITLE)
    assert article.owner == amy and article.author == amy and not article.live
    assert PlanItem.objects.get(pk=item.pk).page_id == article.pk

    # --- 3. She writes it, without a featured image: the submission is refused.
    author.fill("#id_intro", INTRO)
    author.click("button.c-sf-add-button")
    author.get_by_role("option", name="Paragraph").click()
    author.locator(".public-DraftEditor-content").first.click()
    author.keyboard.type(BODY)
    # Draftail copies the text into the form's hidden input a moment later
    # (stateSaveInterval): a click on Submit before that would send it empty.
    expect(author.locator("input[name='body-0-value']")).to_have_value(
        re.compile("carriages pulled out")
    )
    author.locator("ul.tagit input").first.fill(TAG)
    author.keyboard.press("Enter")
    open_actions_menu(author)
    author.get_by_role("button", name=re.compile("Submit to Editorial review")).click()
    author.get_by_text(re.compile("^Not submitted for review")).first.wait_for()
    author.wait_for_load_state("networkidle")
    expect(
        author.get_by_text("Featured image with alt text: Choose a featured image.")
    ).to_be_visible()
    article.refresh_from_db()
    assert article.current_workflow_state is None and not article.live
    # Nothing was saved, and nothing she typed is lost: the form comes back filled.
    assert article.get_latest_revision_as_object().intro == BRIEF
    assert not article.tags.exists()
    expect(author.locator("#id_intro")).to_have_value(INTRO)
    expect(author.locator(".public-DraftEditor-content").first).to_contain_text(BODY)
    expect(author.locator("ul.tagit li.tagit-choice")).to_contain_text(TAG)
    shots(author, "blocked-submission")

    # --- 4. She uploads a featured image, with its alt text, and submits again.
    author.get_by_text("Choose an image").click()
    author.get_by_role("tab", name="Upload").click()
    author.set_input_files("#id_image-chooser-upload-file", str(picture))
    author.fill("#id_image-chooser-upload-title", "Sleeper train at night")
    # The image's Description is its alt text (the featured image check reads it).
    author.fill(
        "#id_image-chooser-upload-description",
        "A sleeper train waiting at a platform at night",
    )
    author.locator(".modal-content form button[type=submit]").click()
    author.wait_for_selector(".modal-content", state="detached")
    open_actions_menu(author)
    author.get_by_role("button", name=re.compile("Submit to Editorial review")).click()
    # Submitted, Wagtail goes back to the article index's listing.
    author.wait_for_url(re.compile(rf".*/admin/pages/{article_index.pk}/$"))
    author.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert article.current_workflow_state is not None and not article.live
    assert article.featured_image.description
    assert PlanItem.objects.get(pk=item.pk).status == PlanItem.Status.EDITING

    # --- 5. The Editor finds it in review on the calendar, at its due date...
    editor.goto(week)
    entry = editor.locator(
        f'[data-date="{due_day.isoformat()}"] .planning-lane--planned '
        '.planning-entry[data-kind="page"]',
        has_text=TITLE,
    )
    expect(entry).to_contain_text("Editing · in review")

    # ... and drags it onto the next day.
    go_live_day = due_day + datetime.timedelta(days=1)
    with editor.expect_response(re.compile(r".*/admin/calendar/move/$")) as moved:
        entry.drag_to(editor.locator(f'[data-date="{go_live_day.isoformat()}"]'))
    # Refused, the page stays (calendar.js alerts) and the reply says why.
    assert moved.value.status == 200, moved.value.text()
    # calendar.js reloads the page once the move is done.
    editor.locator(
        f'[data-date="{go_live_day.isoformat()}"] .planning-lane--scheduled'
    ).get_by_text(TITLE).wait_for()
    editor.wait_for_load_state("networkidle")
    shots(editor, "editor-calendar-scheduled")
    go_live_at = timezone.make_aware(
        datetime.datetime.combine(go_live_day, services.DEFAULT_GO_LIVE)
    )
    article.refresh_from_db()
    assert article.go_live_at == go_live_at
    assert article.current_workflow_state is None and not article.live
    scheduled = services.scheduled_revision(article)
    assert scheduled.approved_go_live_at == go_live_at

    # --- 6. It goes live. Standing in for the clock: the schedule (the revision's
    # approved time, its content's go_live_at, the page's go_live_at) is moved to
    # a minute ago, then Wagtail's publish_scheduled runs, the command each pass of
    # our scheduler (cms/management/commands/run_scheduler.py) calls.
    reader = new_page()
    assert reader.goto(f"{base}{article.url}").status == 404
    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.approved_go_live_at = a_minute_ago
    scheduled.content["go_live_at"] = a_minute_ago.isoformat()
    scheduled.save(update_fields=["approved_go_live_at", "content"])
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=a_minute_ago)
    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert article.live and article.current_workflow_state is None

    response = reader.goto(f"{base}{article.url}")
    assert response.status == 200
    expect(reader.locator("h1")).to_have_text(TITLE)
    expect(reader.locator(".article__body")).to_contain_text(BODY)
    expect(reader.locator(".article__hero img")).to_have_count(1)
    shots(reader, "reader-sees-it")

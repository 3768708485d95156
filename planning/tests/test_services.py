"""Assignments: who creates, assigns and advances them; "Start writing"; the
schedule a drop on the calendar writes through Wagtail's revisions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageLogEntry, Revision, WorkflowState

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from planning import services
from planning.models import PlanItem

from .conftest import COMPLETE_DESCRIPTION, at, complete_the_draft

pytestmark = pytest.mark.django_db


def test_editor_creates_and_assigns_an_idea(editor, author, next_week):
    item = services.create_item(
        title="Flood defences", created_by=editor, due=at(next_week)
    )
    assert item.status == PlanItem.Status.IDEA
    services.assign(item=item, assignees=[author], by=editor)
    item.refresh_from_db()
    assert item.status == PlanItem.Status.ASSIGNED
    assert list(item.assignees.all()) == [author]


def test_authors_neither_create_nor_assign(author, idea):
    with pytest.raises(PermissionDenied):
        services.create_item(title="My own idea", created_by=author)
    with pytest.raises(PermissionDenied):
        services.assign(item=idea, assignees=[author], by=author)


def test_assignee_moves_status_forward_only(author, assignment):
    assert services.statuses_for(author, assignment) == [
        "assigned",
        "writing",
        "editing",
        "ready",
    ]
    services.set_status(item=assignment, status="editing", by=author)
    assert services.statuses_for(author, assignment) == ["editing", "ready"]
    with pytest.raises(PermissionDenied):
        services.set_status(item=assignment, status="writing", by=author)
    with pytest.raises(PermissionDenied):
        services.set_status(item=assignment, status="idea", by=author)


def test_others_may_not_touch_an_assignment(other_author, assignment, editor):
    assert services.statuses_for(other_author, assignment) == []
    with pytest.raises(PermissionDenied):
        services.set_status(item=assignment, status="writing", by=other_author)
    # Editors set any status, backwards included.
    services.set_status(item=assignment, status="idea", by=editor)


def test_start_writing_creates_the_authors_draft(author, assignment, article_index):
    page = services.start_writing(item=assignment, user=author)
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.title == "Night trains return"
    assert page.get_parent().pk == article_index.pk
    assert not page.live
    assert page.owner == author and page.author == author
    assert page.intro.startswith("The new sleeper line")
    assignment.refresh_from_db()
    assert assignment.page_id == page.pk
    assert assignment.status == PlanItem.Status.WRITING
    # As the admin's create view leaves it: a revision by her, a create entry.
    assert page.latest_revision.user == author
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.create", user=author
    ).exists()
    # Starting again opens the same draft.
    assert services.start_writing(item=assignment, user=author).pk == page.pk


def test_start_writing_only_for_assignees(other_author, assignment, article_index):
    with pytest.raises(PermissionDenied):
        services.start_writing(item=assignment, user=other_author)
    assert not ArticlePage.objects.exists()


def test_start_writing_finds_a_free_slug(author, assignment, article_index):
    ArticlePageFactory(parent=article_index, slug="night-trains-return")
    page = services.start_writing(item=assignment, user=author)
    assert page.slug == "night-trains-return-2"


def test_move_due_keeps_the_time_of_day(author, assignment, other_author):
    day = assignment.due.date() + datetime.timedelta(days=3)
    services.move_due(item=assignment, day=day, user=author)
    assignment.refresh_from_db()
    assert assignment.due == at(day, 17)
    with pytest.raises(PermissionDenied):
        services.move_due(item=assignment, day=day, user=other_author)


def test_editor_schedules_an_article_in_review(editor, article_in_review, next_week):
    """Dropping an article in review on a day approves it for that day."""
    revision = services.schedule_page(
        page=article_in_review, day=next_week, user=editor
    )
    page = ArticlePage.objects.get(pk=article_in_review.pk)
    assert revision.approved_go_live_at == at(next_week, 9)
    assert not page.live
    assert page.go_live_at == at(next_week, 9)
    assert page.current_workflow_state is None
    assert WorkflowState.objects.filter(status="approved").count() == 1
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.workflow.approve", user=editor
    ).exists()


def test_scheduling_makes_the_assignment_ready_and_due_then(
    editor, author, assignment, article_index, next_week
):
    page = services.start_writing(item=assignment, user=author)
    complete_the_draft(page)
    services.schedule_page(page=page, day=next_week, user=editor)
    assignment.refresh_from_db()
    assert assignment.status == PlanItem.Status.READY
    assert assignment.due == at(next_week, 9)


def test_rescheduling_a_live_article_makes_a_new_scheduled_revision(
    editor, article_index, next_week
):
    page = ArticlePageFactory(
        parent=article_index, tags=["rail"], search_description=COMPLETE_DESCRIPTION
    )
    page.save_revision().publish()
    first = services.schedule_page(
        page=page, day=next_week, user=editor, at=datetime.time(7, 30)
    )
    later = next_week + datetime.timedelta(days=2)
    second = services.schedule_page(page=page, day=later, user=editor)
    assert second.pk != first.pk
    assert second.approved_go_live_at == at(later, 7).replace(minute=30)
    # One schedule at a time: Wagtail cleared the earlier approval.
    assert list(
        Revision.page_revisions.filter(
            object_id=str(page.pk), approved_go_live_at__isnull=False
        ).values_list("pk", flat=True)
    ) == [second.pk]
    page.refresh_from_db()
    assert page.live  # the live version stays until the scheduled one goes live


def test_authors_may_not_schedule(author, article_in_review, next_week):
    with pytest.raises(PermissionDenied, match="only people who may publish"):
        services.schedule_page(page=article_in_review, day=next_week, user=author)
    assert not Revision.page_revisions.filter(
        approved_go_live_at__isnull=False
    ).exists()


def test_no_schedule_in_the_past(editor, article_in_review):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.schedule_page(page=article_in_review, day=yesterday, user=editor)


def test_submitting_for_review_moves_the_assignment_to_editing(
    client, author, assignment, article_index, django_capture_on_commit_callbacks
):
    page = services.start_writing(item=assignment, user=author)
    with django_capture_on_commit_callbacks(execute=True):
        page.get_workflow().start(page, author)
    assignment.refresh_from_db()
    assert assignment.status == PlanItem.Status.EDITING
    # The article's edit view links to its assignment.
    client.force_login(author)
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Assignment: Editing" in html
    assert f"/admin/planning/edit/{assignment.pk}/" in html

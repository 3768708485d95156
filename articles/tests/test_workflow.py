"""The Editorial review workflow: Authors submit, Editors approve or reject."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from articles.models import ArticlePage
from cms.roles import WORKFLOW_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(article_in_review) -> ArticlePage:
    return article_in_review


def workflow_action(client, article, action: str, comment: str = ""):
    state = article.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[article.pk, action, state.pk]
    )
    return client.post(url, {"comment": comment})


def test_new_article_indexes_use_the_editorial_review_workflow(article_index):
    assert article_index.get_workflow().name == WORKFLOW_NAME


def test_submitting_starts_the_workflow_without_publishing(submitted):
    assert not submitted.live
    state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(submitted.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME


def test_editor_approval_publishes(client, editor, submitted):
    client.force_login(editor)

    response = workflow_action(client, submitted, "approve")

    assert response.status_code in (200, 302)
    submitted.refresh_from_db()
    assert submitted.live
    assert submitted.published_at is not None
    assert client.get(submitted.url).status_code == 200


def test_editor_rejection_returns_the_article_to_its_author(client, editor, submitted):
    client.force_login(editor)

    workflow_action(client, submitted, "reject", comment="Needs sources.")

    submitted.refresh_from_db()
    assert not submitted.live
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_authors_cannot_approve(client, other_author, submitted):
    client.force_login(other_author)

    response = workflow_action(client, submitted, "approve")

    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_an_author_cannot_approve_their_own_submission(client, author, submitted):
    client.force_login(author)
    workflow_action(client, submitted, "approve")
    submitted.refresh_from_db()
    assert not submitted.live

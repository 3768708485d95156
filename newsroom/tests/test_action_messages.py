"""What the admin says after creating a page and after a workflow action."""

import pytest
from django.contrib.messages import get_messages
from wagtail.models import WorkflowState

from articles.models import ArticlePage
from articles.tests.admin_forms import (
    add_article_url,
    article_form_data,
    edit_url,
    loaded_revision,
)

pytestmark = pytest.mark.django_db


def said(response) -> str:
    return " ".join(str(m.message) for m in get_messages(response.wsgi_request))


def workflow_action(client, page, action: str, **fields):
    form = {
        # A complete article (an action: it passes the pre-publish checks).
        **article_form_data("workflow-action", **fields),
        **loaded_revision(client.get(edit_url(page))),
        "action-workflow-action": "true",
        "workflow-action-name": action,
    }
    return client.post(edit_url(page), form)


def test_approving_the_last_task_says_approved_and_published(
    client, editor, article_in_review
):
    client.force_login(editor)
    response = workflow_action(client, article_in_review, "approve")

    assert response.status_code == 302
    article_in_review.refresh_from_db()
    assert article_in_review.live
    message = said(response)
    assert "Page &#x27;A fresh article&#x27; has been approved and published." in (
        message
    )
    assert "has been updated" not in message


def test_approving_with_an_edit_says_approved_and_published(
    client, editor, article_in_review
):
    client.force_login(editor)
    response = workflow_action(
        client, article_in_review, "approve", title="A fresher article"
    )
    assert "A fresher article&#x27; has been approved and published." in said(response)


def test_requesting_changes_says_so(client, editor, article_in_review):
    client.force_login(editor)
    response = workflow_action(client, article_in_review, "reject")

    assert not ArticlePage.objects.get(pk=article_in_review.pk).live
    state = WorkflowState.objects.for_instance(article_in_review).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    message = said(response)
    assert "Changes to page &#x27;A fresh article&#x27; have been requested." in (
        message
    )
    assert "has been updated" not in message


def test_a_plain_save_still_says_updated(client, editor, article_in_review):
    client.force_login(editor)
    form = {
        **article_form_data(),
        **loaded_revision(client.get(edit_url(article_in_review))),
    }
    response = client.post(edit_url(article_in_review), form)
    assert "has been updated" in said(response)


def test_creating_says_created(client, author, article_index):
    client.force_login(author)
    response = client.post(add_article_url(article_index), article_form_data())
    assert "Page &#x27;A fresh article&#x27; created." in said(response)

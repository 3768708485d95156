"""The planning status follows the article's progress: submitting it for review
means the writing is done, so its assignment moves to "editing" (never back)."""

from django.db import transaction
from wagtail.models import Page, WorkflowState
from wagtail.signals import workflow_submitted

from . import services


def on_workflow_submitted(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    page = instance.content_object
    if isinstance(page, Page):
        page_id = page.pk
        transaction.on_commit(lambda: services.mark_in_editing(page_id=page_id))


def register_signal_handlers() -> None:
    workflow_submitted.connect(
        on_workflow_submitted, dispatch_uid="planning-workflow-submitted"
    )

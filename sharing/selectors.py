"""Reads about share links that services and views share."""

from wagtail.models import Page, WorkflowState


def review_in_progress(page: Page) -> WorkflowState | None:
    """The page's review, while it waits for an answer."""
    return (
        WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .select_related("requested_by")
        .first()
    )

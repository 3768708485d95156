"""Messages that say what happened after a workflow action in the page editor.

Wagtail's edit view answers every workflow action (approve, request changes) with
"Page 'X' has been updated.", although approving the last task published the
page. The `after_edit_page` hook runs right after that message is queued; this
rewrites it in place from what the page's state now shows, rather than copying
Wagtail's edit view.
"""

from django.contrib import messages
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision, WorkflowState

# Wagtail's own wording (wagtail/admin/views/pages/edit.py), to find its message.
WAGTAIL_UPDATED = "Page '%(page_title)s' has been updated."


def is_editor_workflow_action(request) -> bool:
    post = request.POST
    return bool(
        request.method == "POST"
        and post.get("action-workflow-action")
        and not post.get("action-publish")
        and not post.get("action-submit")
        and not post.get("action-restart-workflow")
    )


def outcome_message(page: Page, action: str) -> str | None:
    """What the workflow action did to `page`, in words; None if unknown."""
    title = page.get_admin_display_title()
    if action == "reject":
        return _("Changes to page '%(page_title)s' have been requested.") % {
            "page_title": title
        }
    if action != "approve":
        return None
    if WorkflowState.objects.active().for_instance(page).exists():
        return _("Page '%(page_title)s' has been approved.") % {"page_title": title}
    state = Page.objects.filter(pk=page.pk).values(
        "live", "live_revision_id", "latest_revision_id"
    )[0]
    go_live_at = (
        Revision.objects.filter(pk=state["latest_revision_id"])
        .values_list("approved_go_live_at", flat=True)
        .first()
    )
    if go_live_at and go_live_at > timezone.now():
        return _(
            "Page '%(page_title)s' has been approved and scheduled for publishing."
        ) % {"page_title": title}
    if state["live"] and state["live_revision_id"] == state["latest_revision_id"]:
        return _("Page '%(page_title)s' has been approved and published.") % {
            "page_title": title
        }
    return _("Page '%(page_title)s' has been approved.") % {"page_title": title}


def say_what_the_workflow_action_did(request, page: Page) -> None:
    """after_edit_page: replace Wagtail's "has been updated" after a workflow
    action with what happened."""
    if not is_editor_workflow_action(request):
        return
    message = outcome_message(page, request.POST.get("workflow-action-name", ""))
    if message is None:
        return
    storage = messages.get_messages(request)
    # Wagtail renders its message through a template (escaped, maybe with
    # buttons), so look for the escaped text and put the escaped new text there.
    updated = escape(
        _(WAGTAIL_UPDATED) % {"page_title": page.get_admin_display_title()}
    )
    # Django's storage keeps this request's messages in `_queued_messages` (no
    # public API edits a queued message).
    for queued in getattr(storage, "_queued_messages", []):
        text = str(queued.message)
        if updated in text:
            queued.message = mark_safe(text.replace(updated, escape(message), 1))  # noqa: S308 - both parts escaped
            return

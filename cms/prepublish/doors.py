"""The other admin doors to publishing, closed to pages failing their checks.

The edit and create forms enforce the checks (forms.py). Two more admin views
publish without those forms:

- the workflow action view (the approve button of the dashboard's "Awaiting
  your review" panel and of the moderation lists): an approval that would
  publish a revision failing its checks is refused and the approver is sent to
  the edit form, which shows the problems and (to those who may publish) the
  override with a reason;
- bulk publish from the explorer: the whole batch is refused if any page (or
  draft descendant it would publish) fails.

Neither offers an override itself: one page at a time, with a reason, in the
edit form. Scheduled publishing of an already approved revision is not checked
again (it passed, or was overridden, when it was approved).
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin import messages
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.pages.workflow import WorkflowAction
from wagtail.models import Page

from .checks import has_checks, run_checks
from .forms import approval_publishes


def failing_problems(page) -> list[str]:
    if not has_checks(page):
        return []
    return run_checks(page).problems()


class CheckedWorkflowAction(WorkflowAction):
    """Wagtail's workflow action view, refusing an approval that would publish a
    revision failing its pre-publish checks."""

    def post(self, request, *args, **kwargs):
        revision = self.task_state.revision
        draft = revision.as_object() if revision else None
        if draft is not None and approval_publishes(
            draft, request.user, self.action_name
        ):
            problems = failing_problems(draft)
            if problems:
                return self.refuse(request, draft, problems)
        return super().post(request, *args, **kwargs)

    def refuse(self, request, page, problems: list[str]):
        messages.error(
            request,
            _(
                "“%(title)s” was not approved: it fails its pre-publish checks "
                "(%(problems)s). Fix them here, or publish it despite them with a "
                "reason."
            )
            % {
                "title": page.get_admin_display_title(),
                "problems": "; ".join(problems),
            },
        )
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The modal closes and the browser goes to the edit form.
            return self.render_modal_json(
                request, {"step": "success", "redirect": edit_url}
            )
        return redirect(edit_url)


# Routed ahead of Wagtail's own URL for it (cms/urls.py), with the decorators
# Wagtail's admin URLs get.
workflow_action_view = require_admin_access(
    never_cache(CheckedWorkflowAction.as_view())
)


def refuse_bulk_publish_of_failing_pages(request, action_type, objects, action):
    """before_bulk_action: bulk publish publishes nothing if any page it would
    publish (each chosen page's latest revision and, when asked, its draft
    descendants) fails its pre-publish checks."""
    if action_type != "publish":
        return None
    pages = [page for page in objects if isinstance(page, Page)]
    if request.POST.get("include_descendants"):
        for page in list(pages):
            pages.extend(page.get_descendants().not_live().specific())
    refused = []
    for page in pages:
        draft = page.specific.get_latest_revision_as_object()
        if problems := failing_problems(draft):
            refused.append(
                f"“{draft.get_admin_display_title()}”: {'; '.join(problems)}"
            )
    if not refused:
        return None
    messages.error(
        request,
        _(
            "Nothing was published: pages fail their pre-publish checks. Fix "
            "them, or publish each from its edit form despite them with a reason. "
            "%(refused)s"
        )
        % {"refused": " ".join(refused)},
    )
    return redirect(action.next_url or reverse("wagtailadmin_explore_root"))

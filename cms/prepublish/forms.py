"""Enforcement in the admin page form (the edit and create views).

The edit and create views decide what a POST does from its button
(`action-publish`, `action-submit`, `action-restart-workflow`,
`action-workflow-action` with `workflow-action-name`) and the user's
permissions; gated_action() mirrors that choice. When the POST would submit or
publish, the checks run on the form's page instance after the posted values are
applied to it (_post_clean): the draft about to go out, not the live version.

Failing checks are form errors, like Wagtail's own validation errors: nothing is
saved, submitted or published, and the form comes back with everything the user
typed. Someone who may publish the page gets two more fields, to go ahead
despite the failures with a reason; the reason and the failed checks go into the
page's history (audit.py). Those fields do not exist in anyone else's form, so
posting them changes nothing.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task

from .audit import Override
from .checks import has_checks, run_checks

SUBMIT, PUBLISH = "submit", "publish"
OVERRIDE_FIELD = "prepublish_override"
REASON_FIELD = "prepublish_override_reason"


def approval_publishes(page, user, action_name: str) -> bool:
    """Whether the workflow action `action_name` by `user` is an approval that
    publishes: an approve action available to the user on the page's current
    task, with no active task left after it."""
    if action_name != "approve":
        return False
    state = page.current_workflow_state
    task = page.current_workflow_task
    if state is None or task is None:
        return False
    names = {name for name, _label, _modal in task.get_actions(page, user)}
    if action_name not in names:
        return False
    later = (
        Task.objects.filter(workflow_tasks__workflow=state.workflow, active=True)
        .exclude(task_states__in=state.successful_task_states)
        .exclude(pk=task.pk)
    )
    return not later.exists()


class PrepublishFormMixin:
    """For WagtailAdminPageForm subclasses (cms.page_forms.PageForm)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepublish_report = None
        self.checks_apply = self.for_user is not None and has_checks(self.instance)
        if self.checks_apply and self.may_override():
            self.fields[OVERRIDE_FIELD] = forms.BooleanField(
                label=_("Publish despite failed checks"),
                required=False,
            )
            self.fields[REASON_FIELD] = forms.CharField(
                label=_("Reason for publishing despite failed checks"),
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Recorded in the page's history."),
            )

    def may_override(self) -> bool:
        """Only someone who may publish the page may publish it despite failed
        checks (Editors; never Authors)."""
        if self.instance.pk is None:
            parent = getattr(self, "parent_page", None)
            return bool(
                parent
                and parent.permissions_for_user(self.for_user).can_publish_subpage()
            )
        return self.instance.permissions_for_user(self.for_user).can_publish()

    def gated_action(self) -> str | None:
        """SUBMIT or PUBLISH when the view will submit or publish this POST (as
        the edit and create views decide), else None."""
        data, user, page = self.data, self.for_user, self.instance
        if page.pk is None:
            parent = getattr(self, "parent_page", None)
            if parent is None:
                return None
            if data.get("action-publish") and self.may_override():
                return PUBLISH
            if data.get("action-submit") and parent.has_workflow:
                return SUBMIT
            return None
        perms = page.permissions_for_user(user)
        if data.get("action-publish") and perms.can_publish():
            return PUBLISH
        if data.get("action-submit") and perms.can_submit_for_moderation():
            return SUBMIT
        if data.get("action-restart-workflow") and perms.can_submit_for_moderation():
            state = page.current_workflow_state
            if state and state.user_can_cancel(user):
                return SUBMIT
        if data.get("action-workflow-action") and approval_publishes(
            page, user, data.get("workflow-action-name", "")
        ):
            return PUBLISH
        return None

    def _post_clean(self):
        super()._post_clean()
        if not self.checks_apply or self._errors:
            return  # other errors first; the page may be half-built
        action = self.gated_action()
        if action is None:
            return
        # Tags and other cluster relations reach the instance only in save():
        # apply them (in memory; new tag names are created, as any save does).
        self.save_cluster_m2m()
        self.prepublish_report = report = run_checks(self.instance)
        if report.passed:
            return
        if self.cleaned_data.get(OVERRIDE_FIELD):
            reason = (self.cleaned_data.get(REASON_FIELD) or "").strip()
            if reason:
                self.instance.prepublish_override = Override(
                    action=action,
                    reason=reason,
                    failed_checks=[result.check.id for result in report.failed],
                    problems=report.problems(),
                )
                return
            self.add_error(
                REASON_FIELD,
                _("Say why this page should go out despite its failed checks."),
            )
        self.add_error(None, self.refusal_message(action, report))
        for problem in report.problems():
            self.add_error(None, problem)

    def refusal_message(self, action: str, report) -> str:
        counts = {"failed": len(report.failed), "total": len(report.results)}
        if action == SUBMIT:
            message = _(
                "Not submitted for review: %(failed)s of %(total)s pre-publish "
                "checks failed. Fix the problems below and submit again (Save "
                "draft keeps your changes meanwhile)."
            )
        elif OVERRIDE_FIELD in self.fields:
            message = _(
                "Not published: %(failed)s of %(total)s pre-publish checks failed. "
                "Fix the problems below, or tick “Publish despite failed checks” "
                "and give a reason."
            )
        else:
            message = _(
                "Not published: %(failed)s of %(total)s pre-publish checks failed. "
                "Fix the problems below."
            )
        return message % counts


class PrepublishCopyFormMixin:
    """For a page type's copy_form_class (Wagtail's CopyForm): "Publish copies"
    puts a new page live without the edit form, so the page copied must pass its
    checks for that; copying it as a draft is always possible (then publish the
    copy from its edit form, where the override is)."""

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("publish_copies"):
            page = self.page.specific
            if has_checks(page):
                report = run_checks(page)
                if not report.passed:
                    self.add_error(
                        "publish_copies",
                        _(
                            "This page fails its pre-publish checks (%(problems)s): "
                            "copy it without publishing, then publish the copy "
                            "from its edit form."
                        )
                        % {"problems": "; ".join(report.problems())},
                    )
        return cleaned_data

"""The page-history record of a pre-publish override.

The form (forms.py) leaves an Override on the page instance it validated; the
edit and create views pass that instance to `before_publish_page` (publish) and
`after_edit_page` (a workflow approval made from the edit form, or a submit),
whose hooks (cms/wagtail_hooks.py) call record_override."""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

OVERRIDE_ACTION = "presswagon.prepublish_override"


@dataclass(frozen=True)
class Override:
    action: str  # "publish" or "submit"
    reason: str
    failed_checks: list[str]  # check ids
    problems: list[str]


class OverrideFormatter(LogFormatter):
    label = _("Pre-publish checks overridden")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("Overrode failed checks (%(checks)s). Reason: %(reason)s") % {
            "checks": ", ".join(data.get("failed_checks", [])),
            "reason": data.get("reason", ""),
        }

    def format_comment(self, log_entry):
        # The history's comment column: what was wrong at the time.
        return "; ".join((log_entry.data or {}).get("problems", []))


def register_log_actions(actions) -> None:
    actions.register_action(OVERRIDE_ACTION)(OverrideFormatter)


def record_override(page, user) -> bool:
    """Log the override the form left on `page`, once; True if there was one."""
    override = getattr(page, "prepublish_override", None)
    if override is None:
        return False
    page.prepublish_override = None
    log(instance=page, action=OVERRIDE_ACTION, user=user, data=asdict(override))
    return True

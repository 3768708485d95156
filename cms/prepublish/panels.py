"""The edit form's "Pre-publish checks" panel: how the draft fares before anyone
clicks, and (for those who may publish) the override fields."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .checks import has_checks, run_checks
from .forms import OVERRIDE_FIELD, REASON_FIELD


class PrepublishChecksPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Pre-publish checks"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "prepublish_checks"

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/prepublish/panel.html"

        def is_shown(self):
            return has_checks(self.instance)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            # A refused POST has the report of the draft it refused; otherwise
            # the page as loaded (the latest revision: the draft being edited).
            report = getattr(self.form, "prepublish_report", None)
            context["checked_posted"] = report is not None
            if report is None:
                report = run_checks(self.instance)
            context["report"] = report
            context["override_fields"] = [
                self.form[name]
                for name in (OVERRIDE_FIELD, REASON_FIELD)
                if name in self.form.fields
            ]
            return context

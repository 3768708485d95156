"""The dashboard's "My assignments" panel."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from .models import PlanItem

SHOWN = 8


class MyAssignmentsPanel(Component):
    """The user's open assignments, soonest due first, with status and a link.
    Two queries: the items (with their pages), and their count."""

    name = "my_assignments"
    template_name = "planning/panels/my_assignments.html"
    order = 120

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        items = PlanItem.objects.assigned_to(self.user).open().select_related("page")
        return {
            "items": list(items.by_due()[:SHOWN]),
            "total": items.count(),
            "now": timezone.now(),
        }

"""The planning status column of the article explorer listing."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from articles.models import ArticlePage
from cms.listing_columns import add_listing_column

from .models import PlanItem


def planning_status(page) -> str:
    return getattr(page, "planning_status", "")


def load_planning_statuses(pages: list) -> None:
    """Each shown article's planning status (its assignment's), in one query;
    blank for an article nobody planned."""
    statuses = dict(
        PlanItem.objects.filter(page_id__in=[page.pk for page in pages]).values_list(
            "page_id", "status"
        )
    )
    labels = dict(PlanItem.Status.choices)
    for page in pages:
        status = statuses.get(page.pk)
        page.planning_status = labels[status] if status else ""


def register_listing_columns() -> None:
    add_listing_column(
        ArticlePage,
        Column("planning_status", label=_("Planning"), accessor=planning_status),
        load_planning_statuses,
    )

"""Planning fixtures: assignments in a known month, and a client per role."""

import datetime

import pytest
from django.utils import timezone

from planning.models import PlanItem

# A search description within the pre-publish checks' limits (the factory's intro,
# which stands in for one, may run past them).
COMPLETE_DESCRIPTION = (
    "The new sleeper line, its timetable, its fares and its first ride."
)


def complete_the_draft(page) -> None:
    """Give a draft started from an assignment what the pre-publish checks ask
    for before it is scheduled: a featured image with alt text, a tag, a search
    description; saved as its latest revision."""
    from cms.factories import ImageFactory

    page.featured_image = ImageFactory()
    page.search_description = COMPLETE_DESCRIPTION
    page.tags.add("rail")
    page.save_revision()


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def next_week() -> datetime.date:
    """A Wednesday in the future, far enough for scheduling."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 + (2 - today.weekday()) % 7)


@pytest.fixture
def idea(editor, next_week) -> PlanItem:
    """A never-saved idea: no page, no one on it yet."""
    return PlanItem.objects.create(
        title="Harbour dredging plan",
        brief="Who pays for the dredging, and when.",
        due=at(next_week),
        created_by=editor,
    )


@pytest.fixture
def assignment(editor, author, next_week) -> PlanItem:
    item = PlanItem.objects.create(
        title="Night trains return",
        brief="The new sleeper line: timetable, fares, first ride.",
        due=at(next_week, 17),
        status=PlanItem.Status.ASSIGNED,
        created_by=editor,
    )
    item.assignees.set([author])
    return item

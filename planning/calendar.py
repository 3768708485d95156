"""What the calendar shows for a range of days: four lanes per day.

- planned: assignments' due dates, ideas without a page included;
- scheduled: pages with an approved go-live time (Wagtail's schedule is the
  revision's approved_go_live_at: page.go_live_at is only set on pages not yet
  live, so a live page's scheduled change is found through its revision);
- expiring: page.expire_at;
- published: articles' published_at.

Everything is read in a constant number of queries, whatever the number of
articles: one per lane (two for scheduled: revisions, then their pages) and one
for the assignments' assignees.
"""

import calendar as pycalendar
import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, Exists, OuterRef, Prefetch
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from articles.coauthors import CoAuthorRows, coauthor_users
from articles.models import ArticlePage
from articles.roles import byline_label

from .models import PlanItem
from .roles import is_editor

LANES = ("planned", "scheduled", "expiring", "published")


@dataclass
class Entry:
    lane: str
    kind: str  # "plan": dropping it moves the due date; "page": schedules the page
    pk: int
    title: str
    when: datetime.datetime
    url: str
    status: str = ""
    brief: str = ""
    people: list[str] = field(default_factory=list)
    draggable: bool = False


@dataclass
class Filters:
    author: int | None = None
    tag: str = ""
    status: str = ""


@dataclass
class Day:
    date: datetime.date
    in_range: bool
    lanes: dict[str, list[Entry]]

    @property
    def is_empty(self) -> bool:
        return not any(self.lanes.values())


def month_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The weeks (Monday first) covering `day`'s month: [first, last)."""
    first = day.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    start = first - datetime.timedelta(days=first.weekday())
    end = last + datetime.timedelta(days=7 - last.weekday())
    return start, end


def week_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=7)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _articles(filters: Filters):
    articles = ArticlePage.objects.all()
    if filters.author:
        # Those the person leads or co-authors, as their archive lists them.
        articles = articles.by_author(filters.author)
    if filters.tag:
        # Through the tag table: one row per tag, so callers add distinct().
        articles = articles.filter(tags__slug=filters.tag)
    if filters.status:
        articles = articles.filter(plan_item__status=filters.status)
    return articles


def _plan_items(user, filters: Filters):
    items = PlanItem.objects.visible_to(user)
    if filters.author:
        items = items.filter(assignees=filters.author)
    if filters.tag:
        items = items.filter(
            page__in=ArticlePage.objects.filter(tags__slug=filters.tag).values("pk")
        )
    if filters.status:
        items = items.filter(status=filters.status)
    return items


def planned(user, start, end, filters: Filters) -> list[Entry]:
    """Assignments due in [start, end) that `user` may see (Editors: all; Authors:
    theirs). An item whose page is ready or in review is a "page" entry for an
    Editor: dropping it on a day schedules the article (see services)."""
    # Workflow states are keyed on the base Page content type and a text id.
    in_review = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        object_id=Cast(OuterRef("page_id"), CharField()),
    )
    items = (
        _plan_items(user, filters)
        .due_between(start, end)
        .select_related("page")
        .annotate(in_review=Exists(in_review))
        .prefetch_related(Prefetch("assignees"))
        # No distinct(): each filter joins one user or goes through a subquery.
        .by_due()
    )
    editor = is_editor(user)
    entries = []
    for item in items:
        schedulable = (
            editor
            and item.page is not None
            and not item.page.live
            and item.page.go_live_at is None
            and (item.in_review or item.status == PlanItem.Status.READY)
        )
        entries.append(
            Entry(
                lane="planned",
                kind="page" if schedulable else "plan",
                pk=item.page_id if schedulable else item.pk,
                title=item.title,
                when=item.due,
                url=reverse("planning:edit", args=[item.pk]),
                status=item.get_status_display()
                + (" · in review" if item.in_review else ""),
                brief=item.brief,
                people=[byline_label(person) for person in item.assignees.all()],
                draggable=editor or user in item.assignees.all(),
            )
        )
    return entries


def scheduled(start, end, filters: Filters, *, may_drag: bool) -> list[Entry]:
    revisions = Revision.page_revisions.filter(
        approved_go_live_at__gte=start,
        approved_go_live_at__lt=end,
        object_id__in=_articles(filters)
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text"),
    ).values_list("object_id", "approved_go_live_at")
    when = {int(object_id): at for object_id, at in revisions}
    pages = _with_byline(ArticlePage.objects.filter(pk__in=when))
    return [
        _page_entry("scheduled", page, when[page.pk], draggable=may_drag)
        for page in pages
    ]


def expiring(start, end, filters: Filters) -> list[Entry]:
    pages = (
        _articles(filters).filter(expire_at__gte=start, expire_at__lt=end).distinct()
    )
    return [
        _page_entry("expiring", page, page.expire_at) for page in _with_byline(pages)
    ]


def published(start, end, filters: Filters) -> list[Entry]:
    pages = (
        _articles(filters)
        .filter(live=True, published_at__gte=start, published_at__lt=end)
        .distinct()
    )
    return [
        _page_entry("published", page, page.published_at)
        for page in _with_byline(pages)
    ]


def _with_byline(pages):
    """The lead author joined and the co-authors in the same row, as the
    article's own byline loads them."""
    return pages.select_related("author").annotate(coauthor_rows=CoAuthorRows())


def _page_entry(lane, page, when, draggable=False) -> Entry:
    byline = [page.author] if page.author else []
    return Entry(
        lane=lane,
        kind="page",
        pk=page.pk,
        title=page.draft_title or page.title,
        when=when,
        url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        people=[byline_label(person) for person in byline + coauthor_users(page)],
        draggable=draggable,
    )


def entries(user, start: datetime.date, end: datetime.date, filters: Filters):
    """Every entry in [start, end), in lane order."""
    lo, hi = _aware(start), _aware(end)
    return [
        *planned(user, lo, hi, filters),
        # Who may reschedule a given page is checked on the drop (publish
        # permission is per page); Editors publish everywhere, so only they drag.
        *scheduled(lo, hi, filters, may_drag=is_editor(user)),
        *expiring(lo, hi, filters),
        *published(lo, hi, filters),
    ]


def days(
    user,
    start: datetime.date,
    end: datetime.date,
    filters: Filters,
    focus_month: int | None = None,
) -> list[Day]:
    by_day: dict[datetime.date, Day] = {}
    day = start
    while day < end:
        by_day[day] = Day(
            date=day,
            in_range=focus_month is None or day.month == focus_month,
            lanes={lane: [] for lane in LANES},
        )
        day += datetime.timedelta(days=1)
    for entry in sorted(entries(user, start, end, filters), key=lambda e: e.when):
        local_day = timezone.localtime(entry.when).date()
        if local_day in by_day:
            by_day[local_day].lanes[entry.lane].append(entry)
    return list(by_day.values())

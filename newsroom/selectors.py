"""What the dashboard panels read, per person: each is a few queries however many
rows there are (a count and one page of rows, then the pages they point at in one
query)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import (
    Page,
    PageLogEntry,
    Revision,
    TaskState,
    WorkflowState,
    get_default_page_content_type,
)

from cms.roles import EDITORS
from engagement.models import Comment, CommentStatus

PANEL_ROWS = 8
SCHEDULE_WINDOW = timedelta(days=7)


def sees_everything(user) -> bool:
    """Editors (and superusers) see the whole newsroom; everyone else, what
    concerns them: the pages they own."""
    return user.is_superuser or user.groups.filter(name=EDITORS).exists()


@dataclass(frozen=True)
class Row:
    page: Page
    at: datetime
    by: object | None = None  # the user who submitted / published
    task_state: TaskState | None = None


@dataclass(frozen=True)
class Rows:
    rows: list[Row]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def _pages(ids) -> dict[int, Page]:
    """The pages for these ids, in one query (titles and status only: the panels
    show no page-type fields)."""
    return Page.objects.in_bulk([int(pk) for pk in ids])


def reviews_waiting(user, limit: int = PANEL_ROWS) -> Rows:
    """Page review tasks `user` can act on, oldest first: the longest wait
    comes first."""
    states = (
        TaskState.objects.reviewable_by(user)
        .filter(revision__base_content_type=get_default_page_content_type())
        .select_related("workflow_state__requested_by", "revision")
        .order_by("started_at", "pk")
    )
    total = states.count()
    chosen = list(states[:limit])
    pages = _pages(state.revision.object_id for state in chosen)
    rows = [
        Row(
            page=pages[int(state.revision.object_id)],
            at=state.started_at,
            by=state.workflow_state.requested_by,
            task_state=state,
        )
        for state in chosen
        if int(state.revision.object_id) in pages
    ]
    return Rows(rows, total)


def my_submissions_waiting(user, limit: int = PANEL_ROWS) -> Rows:
    """Pages `user` submitted for review that are still in review, oldest first."""
    states = (
        WorkflowState.objects.active()
        .filter(_page_objects(), requested_by=user)
        .select_related("requested_by", "current_task_state")
        .order_by("created_at", "pk")
    )
    total = states.count()
    chosen = list(states[:limit])
    pages = _pages(state.object_id for state in chosen)
    rows = [
        Row(
            page=pages[int(state.object_id)],
            at=state.created_at,
            by=state.requested_by,
            task_state=state.current_task_state,
        )
        for state in chosen
        if int(state.object_id) in pages
    ]
    return Rows(rows, total)


def scheduled_soon(
    user, *, everyone: bool, now: datetime | None = None, limit: int = PANEL_ROWS
) -> Rows:
    """Pages with an approved go-live in the next seven days, soonest first: the
    revision Wagtail's scheduler will publish (a first publication or a
    scheduled change to a live page)."""
    now = now or timezone.now()
    revisions = (
        Revision.page_revisions.filter(
            approved_go_live_at__gte=now,
            approved_go_live_at__lt=now + SCHEDULE_WINDOW,
        )
        .select_related("user")
        .order_by("approved_go_live_at", "pk")
    )
    if not everyone:
        revisions = revisions.filter(object_id__in=_owned_ids(user))
    total = revisions.count()
    chosen = list(revisions[:limit])
    pages = _pages(revision.object_id for revision in chosen)
    rows = [
        Row(page=pages[int(rev.object_id)], at=rev.approved_go_live_at, by=rev.user)
        for rev in chosen
        if int(rev.object_id) in pages
    ]
    return Rows(rows, total)


def recently_published(
    user, *, everyone: bool, page_types: list | None = None, limit: int = PANEL_ROWS
) -> Rows:
    """The last pages published (of `page_types`, if given) that are still live,
    newest first, with who published them: the audit log's publish entries (its
    timestamp is indexed), a page republished counted once."""
    entries = PageLogEntry.objects.filter(action="wagtail.publish").order_by(
        "-timestamp", "-pk"
    )
    if page_types:
        entries = entries.filter(content_type__in=page_types)
    if not everyone:
        entries = entries.filter(page__owner=user)
    # A few times the rows shown, so republished pages rarely leave gaps.
    recent = list(entries.select_related("user")[: limit * 4])
    latest = {}
    for entry in recent:
        latest.setdefault(entry.page_id, entry)
    pages = Page.objects.live().in_bulk(list(latest))
    rows = [
        Row(page=pages[page_id], at=entry.timestamp, by=entry.user)
        for page_id, entry in latest.items()
        if page_id in pages
    ][:limit]
    return Rows(rows, len(rows))


def _owned_ids(user) -> QuerySet:
    # Revision.object_id is text (it points at any model): compare as text.
    return (
        Page.objects.filter(owner=user)
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .values("pk_text")
    )


def _page_objects() -> Q:
    return Q(base_content_type=get_default_page_content_type())


def comments_awaiting_moderation(limit: int = 5) -> tuple[int, list]:
    """How many reader comments wait for a moderator, and the newest few."""
    pending = Comment.objects.filter(status=CommentStatus.PENDING)
    newest = list(pending.select_related("page").order_by("-created_at", "-pk")[:limit])
    return pending.count(), newest

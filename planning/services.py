"""Writes of planning: creating and assigning items, moving them through their
statuses, starting the article, moving due dates, (re)scheduling pages from the
calendar, and the iCal feed tokens. Each checks who may do it and raises
PermissionDenied otherwise; views turn that into a 403 with the message."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from articles.models import ArticleIndexPage, ArticlePage
from cms.pages import INTRO_MAX_LENGTH
from cms.prepublish.doors import failing_problems

from . import tokens
from .models import CalendarFeedToken, PlanItem
from .roles import is_editor

# A page dropped on a day without a time of its own goes live at this hour.
DEFAULT_GO_LIVE = datetime.time(9, 0)


def is_assignee(user, item: PlanItem) -> bool:
    return item.pk is not None and item.assignees.filter(pk=user.pk).exists()


def may_change_item(user, item: PlanItem) -> bool:
    """Editors change anything; assignees move their item's status forward."""
    return is_editor(user) or is_assignee(user, item)


def statuses_for(user, item: PlanItem) -> list[str]:
    """The statuses `user` may give `item`: any for an Editor; for an assignee,
    the current one and the writing steps after it (never back)."""
    if is_editor(user):
        return list(PlanItem.Status.values)
    if not is_assignee(user, item):
        return []
    order = list(PlanItem.Status.values)
    current = order.index(item.status)
    return [item.status] + [
        step for step in PlanItem.AUTHOR_STEPS if order.index(step) > current
    ]


def create_item(
    *,
    title: str,
    created_by,
    brief: str = "",
    due: datetime.datetime | None = None,
    assignees=(),
) -> PlanItem:
    if not is_editor(created_by):
        raise PermissionDenied(_("Only Editors create assignments."))
    item = PlanItem.objects.create(
        title=title, brief=brief, due=due, created_by=created_by
    )
    if assignees:
        assign(item=item, assignees=assignees, by=created_by)
    return item


def assign(*, item: PlanItem, assignees, by) -> PlanItem:
    """Set who works on the item; an idea with someone on it becomes "assigned"."""
    if not is_editor(by):
        raise PermissionDenied(_("Only Editors assign."))
    item.assignees.set(assignees)
    if assignees and item.status == PlanItem.Status.IDEA:
        item.status = PlanItem.Status.ASSIGNED
        item.save(update_fields=["status", "updated_at"])
    return item


def set_status(*, item: PlanItem, status: str, by) -> PlanItem:
    if status not in statuses_for(by, item):
        raise PermissionDenied(
            _("You may not move this assignment to “%(status)s”.") % {"status": status}
        )
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    return item


def article_index() -> ArticleIndexPage | None:
    """Where new articles start: the site's first article index."""
    return ArticleIndexPage.objects.order_by("path").first()


def _free_slug(parent: Page, title: str) -> str:
    base = slugify(title)[:200] or "article"
    taken = set(
        parent.get_children()
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def start_writing(*, item: PlanItem, user) -> ArticlePage:
    """The assignee's draft: an ArticlePage under the article index with the
    working title, owned and bylined by her, created as the admin's create view
    does (add_child, a first revision, a "wagtail.create" log entry), linked to
    the item, which moves to "writing". Starting twice returns the same page."""
    if item.page_id is not None:
        return item.page.specific
    if not may_change_item(user, item):
        raise PermissionDenied(_("This assignment is not yours."))
    parent = article_index()
    if parent is None or not parent.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied(_("You may not create articles."))
    page = ArticlePage(
        title=item.title,
        slug=_free_slug(parent, item.title),
        # The intro is required; the brief is the best first draft of it.
        intro=(item.brief or item.title)[:INTRO_MAX_LENGTH],
        author=user,
        owner=user,
        live=False,
    )
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=False)
    log(
        instance=page,
        action="wagtail.create",
        user=user,
        revision=revision,
        content_changed=True,
    )
    item.page = page
    if item.status in (PlanItem.Status.IDEA, PlanItem.Status.ASSIGNED):
        item.status = PlanItem.Status.WRITING
    item.save(update_fields=["page", "status", "updated_at"])
    return page


def may_move_due(user, item: PlanItem) -> bool:
    return may_change_item(user, item)


def move_due(*, item: PlanItem, day: datetime.date, user) -> PlanItem:
    """Move the due date to `day`, keeping its time of day (end of the working
    day, 17:00, for an item that had none)."""
    if not may_move_due(user, item):
        raise PermissionDenied(
            _("Only Editors and the assignees may move this due date.")
        )
    local = timezone.localtime(item.due) if item.due else None
    at = local.timetz().replace(tzinfo=None) if local else datetime.time(17, 0)
    item.due = timezone.make_aware(datetime.datetime.combine(day, at))
    item.save(update_fields=["due", "updated_at"])
    return item


def scheduled_revision(page: Page) -> Revision | None:
    """Wagtail's schedule: the page's revision with an approved go-live time
    (page.go_live_at is only set on pages not yet live)."""
    return (
        Revision.page_revisions.filter(
            object_id=str(page.pk), approved_go_live_at__isnull=False
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def schedule_page(
    *, page: Page, day: datetime.date, user, at: datetime.time | None = None
) -> Revision:
    """Make `page` go live on `day`, through Wagtail's scheduling: a new revision
    with go_live_at, published, which Wagtail keeps as the approved schedule.

    - Already scheduled: the scheduled content is saved again at the new time (the
      time of day kept unless `at` is given), so the move is its own revision.
    - In review: what an editor means by dropping it on a day is "approve it for
      that day": the latest draft is saved with the go-live time and the current
      task approved, as the edit view's "approve with changes" does; the workflow
      then publishes it, which schedules it.
    - A draft: its latest revision is saved with the go-live time and published.

    Only for users who may publish the page; never for a time in the past.
    """
    # Its state as stored now (live revision, workflow), not as the caller held it.
    page = Page.objects.get(pk=page.pk).specific
    if not page.permissions_for_user(user).can_publish():
        raise PermissionDenied(
            _("You may not schedule “%(title)s”: only people who may publish it can.")
            % {"title": page.get_admin_display_title()}
        )
    scheduled = scheduled_revision(page)
    if at is None:
        if scheduled is not None:
            at = timezone.localtime(scheduled.approved_go_live_at).time()
        else:
            at = DEFAULT_GO_LIVE
    go_live_at = timezone.make_aware(datetime.datetime.combine(day, at))
    if go_live_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future to schedule it."))
    source = scheduled or page.get_latest_revision()
    draft = source.as_object() if source is not None else page
    draft.go_live_at = go_live_at
    # A revision's content does not carry the page's live state (as_object keeps
    # `live` but not `live_revision`): without it Wagtail would take a live page
    # for an unpublished one and unpublish it until the go-live time.
    draft.live_revision_id = page.live_revision_id
    draft.last_published_at = page.last_published_at
    if page.expire_at and page.expire_at <= go_live_at:
        raise ValidationError(_("It would expire before it goes live."))
    # Approving or publishing from the calendar is a publish like any other: it
    # passes the pre-publish checks (cms/prepublish), whose override, with its
    # recorded reason, is in the edit form. Moving what is already scheduled
    # moves what was checked (or overridden) when it was approved.
    problems = [] if scheduled is not None else failing_problems(draft)
    if problems:
        raise ValidationError(
            _(
                "“%(title)s” was not scheduled: it fails its pre-publish checks "
                "(%(problems)s). Fix them in the editor, or publish it from there "
                "despite them with a reason."
            )
            % {"title": page.get_admin_display_title(), "problems": " ".join(problems)}
        )
    revision = draft.save_revision(user=user, log_action=True, clean=False)
    workflow_state = page.current_workflow_state
    if workflow_state is not None and scheduled is None:
        task_state = page.current_workflow_task_state
        task = page.current_workflow_task
        actions = {name for name, *_ in task.get_actions(page, user)}
        if "approve" not in actions:
            raise PermissionDenied(_("You may not approve this review."))
        task.on_action(task_state, user, "approve")
        revision.refresh_from_db()
    else:
        revision.publish(user=user)
    # Its assignment follows: due when it goes live, and approved means ready.
    PlanItem.objects.filter(page_id=page.pk).update(
        due=go_live_at, status=PlanItem.Status.READY, updated_at=timezone.now()
    )
    return revision


def regenerate_feed_token(user) -> str:
    """A new secret feed URL for `user` (the old one stops working); the token
    itself is returned once, only its digest is kept."""
    token = tokens.new_token()
    CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"digest": tokens.digest(token)}
    )
    return token


def mark_in_editing(*, page_id: int) -> int:
    """The page's assignment, if still being written, is now in editing."""
    return PlanItem.objects.filter(
        page_id=page_id,
        status__in=[
            PlanItem.Status.IDEA,
            PlanItem.Status.ASSIGNED,
            PlanItem.Status.WRITING,
        ],
    ).update(status=PlanItem.Status.EDITING, updated_at=timezone.now())

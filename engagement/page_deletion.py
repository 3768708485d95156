"""What readers left on a page goes when the page goes: the admin says so, and only
moderators may take approved comments with it.

Comments, ratings and view counts are keyed on the page with CASCADE, so deleting
a page (and its descendants) deletes them. The page delete confirmation shows how
many (a warning message from the documented `before_delete_page` hook, which runs
on GET and POST: no copy of Wagtail's confirm_delete.html to keep in step with
upgrades); and deleting a page with approved comments is a moderation act, refused
to anyone who may not delete comments (Authors), in the single and the bulk page
delete alike. Registered in engagement/wagtail_hooks.py.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.models import Page

from .models import Comment, DailyPageViews, Rating
from .querysets import CommentStatus

# Deleting approved (shown) comments is moderation: Editors hold this permission.
DELETE_COMMENTS_PERMISSION = "engagement.delete_comment"


@dataclass(frozen=True)
class EngagementCounts:
    approved_comments: int = 0
    pending_comments: int = 0
    other_comments: int = 0  # rejected or spam
    ratings: int = 0
    view_days: int = 0

    def __bool__(self) -> bool:
        return any(vars(self).values())


def engagement_going_with(page: Page) -> EngagementCounts:
    """What readers left on `page` and its descendants: four queries."""
    subtree = {"page__path__startswith": page.path}
    comments = Comment.objects.filter(**subtree).aggregate(
        approved=Count("pk", filter=Q(status=CommentStatus.APPROVED)),
        pending=Count("pk", filter=Q(status=CommentStatus.PENDING)),
        total=Count("pk"),
    )
    return EngagementCounts(
        approved_comments=comments["approved"],
        pending_comments=comments["pending"],
        other_comments=comments["total"] - comments["approved"] - comments["pending"],
        ratings=Rating.objects.filter(**subtree).count(),
        view_days=DailyPageViews.objects.filter(**subtree).count(),
    )


def describe(counts: EngagementCounts) -> str:
    parts = [
        ngettext(
            "%(approved)d approved and %(pending)d pending comment",
            "%(approved)d approved and %(pending)d pending comments",
            counts.approved_comments + counts.pending_comments,
        )
        % {"approved": counts.approved_comments, "pending": counts.pending_comments}
    ]
    if counts.other_comments:
        parts.append(
            ngettext(
                "%(count)d rejected or spam comment",
                "%(count)d rejected or spam comments",
                counts.other_comments,
            )
            % {"count": counts.other_comments}
        )
    parts.append(
        ngettext("%(count)d rating", "%(count)d ratings", counts.ratings)
        % {"count": counts.ratings}
    )
    parts.append(
        ngettext(
            "%(count)d day of view counts",
            "%(count)d days of view counts",
            counts.view_days,
        )
        % {"count": counts.view_days}
    )
    listed = ", ".join(parts[:-1]) + _(" and ") + parts[-1]
    return _("Deleting it also deletes what readers left: %(listed)s.") % {
        "listed": listed
    }


def may_delete_with_approved_comments(user) -> bool:
    return user.has_perm(DELETE_COMMENTS_PERMISSION)


def refusal(user, page: Page, counts: EngagementCounts) -> str | None:
    if not counts.approved_comments or may_delete_with_approved_comments(user):
        return None
    return ngettext(
        "“%(title)s” cannot be deleted: it has %(count)d approved reader comment, "
        "which would be deleted with it, and only an Editor may delete approved "
        "comments. Ask an Editor.",
        "“%(title)s” cannot be deleted: it has %(count)d approved reader comments, "
        "which would be deleted with it, and only an Editor may delete approved "
        "comments. Ask an Editor.",
        counts.approved_comments,
    ) % {"title": page.get_admin_display_title(), "count": counts.approved_comments}


def before_delete_page(request, page: Page):
    """before_delete_page: refuse (GET and POST) or, on the confirmation, warn."""
    counts = engagement_going_with(page)
    reason = refusal(request.user, page, counts)
    if reason:
        messages.error(request, reason)
        return redirect("wagtailadmin_pages:edit", page.pk)
    if request.method == "GET" and counts:
        messages.warning(request, describe(counts))
    return None


def before_bulk_delete_pages(request, action_type, objects, action):
    """before_bulk_action: the bulk page delete deletes nothing if any chosen page
    carries approved comments the user may not delete."""
    if action_type != "delete" or not all(isinstance(o, Page) for o in objects):
        return None
    reasons = [
        reason
        for page in objects
        if (reason := refusal(request.user, page, engagement_going_with(page)))
    ]
    if not reasons:
        return None
    messages.error(
        request,
        _("No pages were deleted. %(reasons)s") % {"reasons": " ".join(reasons)},
    )
    return redirect(action.next_url)

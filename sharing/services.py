"""Creating, opening, answering and revoking share links.

Who may share: whoever may edit the page (Wagtail's page permissions): Editors
any page, Authors the pages they own. Nobody else, and a reader's answer never
publishes anything: it is a log entry in the page's history and a mail to the
people who asked for the review.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from .models import ShareComment, ShareLink, ShareLinkView
from .notifications import notify_of_comment
from .selectors import review_in_progress
from .tokens import digest, looks_like_a_token, new_token

DEFAULT_EXPIRY = timedelta(hours=72)
LONGEST_EXPIRY = timedelta(days=30)


@dataclass(frozen=True)
class CreatedShareLink:
    """A new link and its token, which only this object ever holds in clear."""

    link: ShareLink
    token: str

    @property
    def path(self) -> str:
        return reverse("sharing:draft", args=[self.token])

    @property
    def url(self) -> str:
        return urljoin(settings.WAGTAILADMIN_BASE_URL, self.path)


def may_share(user, page: Page) -> bool:
    return bool(
        user is not None
        and user.is_active
        and page.permissions_for_user(user).can_edit()
    )


def create_share_link(
    *,
    page: Page,
    user,
    expires_in: timedelta = DEFAULT_EXPIRY,
    pinned_revision: Revision | None = None,
    note: str = "",
    may_review: bool = False,
) -> CreatedShareLink:
    if not may_share(user, page):
        raise PermissionDenied("Only someone who may edit the page may share it.")
    if not timedelta(0) < expires_in <= LONGEST_EXPIRY:
        raise ValidationError("A share link lasts more than nothing, 30 days at most.")
    if (
        pinned_revision is not None
        and not Revision.objects.for_instance(page)
        .filter(pk=pinned_revision.pk)
        .exists()
    ):
        raise ValidationError("The pinned revision is not one of this page's.")
    token = new_token()
    link = ShareLink.objects.create(
        page=page,
        token_digest=digest(token),
        created_by=user,
        expires_at=timezone.now() + expires_in,
        pinned_revision=pinned_revision,
        note=note.strip(),
        may_review=may_review,
    )
    log(
        instance=page,
        action="sharing.link_created",
        user=user,
        data={
            "link": link.pk,
            "expires_at": link.expires_at.isoformat(),
            "pinned_revision": link.pinned_revision_id,
            "may_review": may_review,
        },
    )
    return CreatedShareLink(link=link, token=token)


def revoke_share_link(*, link: ShareLink, user) -> ShareLink:
    if not may_share(user, link.page):
        raise PermissionDenied(
            "Only someone who may edit the page may revoke its links."
        )
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
        log(
            instance=link.page,
            action="sharing.link_revoked",
            user=user,
            data={"link": link.pk},
        )
    return link


def usable_link(token: str) -> ShareLink | None:
    """The link a token opens, if it still opens: unknown, expired, revoked and
    deleted-page links are all None (one 404 for all, nothing to tell apart)."""
    if not looks_like_a_token(token):
        return None
    return (
        ShareLink.objects.usable()
        .select_related("page", "created_by", "pinned_revision")
        .filter(token_digest=digest(token))
        .first()
    )


def revision_shown(link: ShareLink) -> Revision | None:
    if link.pinned_revision_id is not None:
        return link.pinned_revision
    return link.page.latest_revision


def draft_shown(link: ShareLink) -> Page:
    """The page as the link shows it: the pinned revision, else the latest."""
    revision = revision_shown(link)
    if revision is None:  # a page never saved as a revision: its own fields
        return link.page.specific
    return revision.as_object()


def record_view(link: ShareLink, mode: str = "") -> None:
    now = timezone.now()
    ShareLinkView.objects.create(link=link, mode=mode[:20])
    ShareLink.objects.filter(pk=link.pk).update(
        view_count=F("view_count") + 1, last_viewed_at=now
    )


def may_answer_review(link: ShareLink) -> bool:
    return link.may_review and review_in_progress(link.page) is not None


def add_comment(
    *, link: ShareLink, name: str, text: str, verdict: str = ""
) -> ShareComment:
    """A reader's comment, or their answer to the review (`verdict`): kept on
    the link, written to the page's history, mailed to whoever asked."""
    if verdict and verdict not in dict(ShareComment.VERDICTS):
        raise ValidationError("Unknown answer.")
    review = review_in_progress(link.page) if verdict else None
    if verdict and (not link.may_review or review is None):
        raise PermissionDenied("This link may not answer a review.")
    revision = revision_shown(link)
    comment = ShareComment.objects.create(
        link=link,
        name=name.strip(),
        text=text.strip(),
        verdict=verdict,
        revision=revision,
    )
    log(
        instance=link.page,
        action=f"sharing.{verdict or 'comment'}",
        user=None,
        revision=revision,
        data={
            "name": comment.name,
            "text": comment.text,
            "link": link.pk,
            "workflow_state": review.pk if review else None,
        },
    )
    transaction.on_commit(lambda: notify_of_comment.enqueue(comment.pk))
    return comment

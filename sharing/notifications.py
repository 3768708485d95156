"""Mail to the people behind a share link when its reader comments or answers:
the link's creator, and for an answer the person who asked for the review."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from .models import ShareComment
from .selectors import review_in_progress

logger = logging.getLogger("sharing")


@task()
def notify_of_comment(comment_id: int) -> int:
    """Send the mail; returns how many people it went to."""
    comment = (
        ShareComment.objects.select_related("link__page", "link__created_by")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    link = comment.link
    people = [link.created_by]
    if comment.verdict:
        review = review_in_progress(link.page)
        if review is not None:
            people.append(review.requested_by)
    addresses = sorted({p.email for p in people if p is not None and p.email})
    if not addresses:
        return 0
    what = comment.get_verdict_display() if comment.verdict else "Comment"
    title = link.page.get_admin_display_title()
    body = (
        f"{comment.name} answered through the link you shared of “{title}”:\n\n"
        f"{what}\n{comment.text}\n\n"
        f"The page's history: {settings.WAGTAILADMIN_BASE_URL}"
        f"/admin/pages/{link.page_id}/history/\n"
    )
    send_mail(f"{what}: {title}", body, None, addresses)
    logger.info("share link %s: %s mailed to %d", link.pk, what, len(addresses))
    return len(addresses)

"""The dashboard's panels (Wagtail admin components, added by
wagtail_hooks.construct_homepage_panels). Each reads through newsroom/selectors.py,
so its queries do not grow with the rows it shows."""

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from articles.models import ArticlePage
from engagement.models import CommentStatus
from engagement.viewsets import MODERATE_PERMISSION

from . import selectors


class NewsroomPanel(Component):
    name = ""
    template_name = "newsroom/panels/pages.html"
    heading = ""
    empty_message = ""
    time_label = ""
    person_label = ""

    def __init__(self, request):
        self.request = request
        self.everyone = selectors.sees_everything(request.user)

    def rows(self) -> selectors.Rows:
        raise NotImplementedError

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        return {
            "panel_id": self.name,
            "heading": self.heading,
            "empty_message": self.empty_message,
            "result": self.rows(),
            "time_label": self.time_label,
            "person_label": self.person_label,
        }


class WaitingForReviewPanel(NewsroomPanel):
    """Editors: the review tasks they can act on. Authors: their own submissions
    still in review. Replaces Wagtail's "Awaiting your review" and "Your pages in
    a workflow" panels, so there is one list."""

    name = "newsroom_waiting_for_review"
    order = 100

    def __init__(self, request):
        super().__init__(request)
        if self.everyone:
            self.heading = _("Waiting for my review")
            self.empty_message = _("Nothing is waiting for your review.")
            self.time_label = _("Waiting since")
            self.person_label = _("Submitted by")
        else:
            self.heading = _("My submissions in review")
            self.empty_message = _("None of your submissions is waiting for review.")
            self.time_label = _("Submitted")
            self.person_label = _("Submitted by")

    def rows(self):
        if self.everyone:
            return selectors.reviews_waiting(self.request.user)
        return selectors.my_submissions_waiting(self.request.user)


class ScheduledSoonPanel(NewsroomPanel):
    name = "newsroom_scheduled"
    order = 120
    heading = _("Scheduled next 7 days")
    time_label = _("Goes live")
    person_label = _("Scheduled by")

    def __init__(self, request):
        super().__init__(request)
        self.empty_message = (
            _("Nothing is scheduled to go live in the next 7 days.")
            if self.everyone
            else _("None of your pages is scheduled to go live in the next 7 days.")
        )

    def rows(self):
        return selectors.scheduled_soon(self.request.user, everyone=self.everyone)


class RecentlyPublishedPanel(NewsroomPanel):
    name = "newsroom_recently_published"
    order = 140
    time_label = _("Published")
    person_label = _("Published by")

    def __init__(self, request):
        super().__init__(request)
        if self.everyone:
            self.heading = _("Recently published")
            self.empty_message = _("No article has been published yet.")
        else:
            self.heading = _("My recently published articles")
            self.empty_message = _("None of your articles has been published yet.")

    def rows(self):
        return selectors.recently_published(
            self.request.user,
            everyone=self.everyone,
            page_types=[ContentType.objects.get_for_model(ArticlePage)],
        )


class CommentsAwaitingModerationPanel(Component):
    """For those who moderate reader comments: how many wait, the newest few, and
    the moderation list opened on its pending filter."""

    name = "newsroom_comments"
    order = 110
    template_name = "newsroom/panels/comments.html"

    def __init__(self, request):
        self.request = request

    @staticmethod
    def is_shown_to(user) -> bool:
        return user.has_perm(MODERATE_PERMISSION)

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        total, newest = selectors.comments_awaiting_moderation()
        listing = reverse("wagtailsnippets_engagement_comment:list")
        return {
            "total": total,
            "comments": newest,
            "pending_url": f"{listing}?{urlencode({'status': CommentStatus.PENDING})}",
        }

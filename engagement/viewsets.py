"""Admin for reader comments: the moderation listing and its actions (registered
in wagtail_hooks.py).

Editors (change_comment) moderate one by one (row actions, or the edit form) and
in bulk (the listing's bulk actions); Authors (view_comment only) see the comments
on the pages they may edit and nothing else.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Comment, CommentStatus
from .services import comments_moderate

MODERATE_PERMISSION = "engagement.change_comment"


class CommentAdminForm(WagtailAdminModelForm):
    """Editing a comment's status records who moderated it and when."""

    def save(self, commit=True):
        if "status" in self.changed_data:
            self.instance.moderated_at = timezone.now()
            self.instance.moderated_by = self.for_user
        return super().save(commit)


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Reader comments")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["__str__", "name", "page", "status", "created_at"]
    list_filter = ["status", "page"]
    search_fields = ["body", "name", "email"]
    list_per_page = 50
    ordering = ["-created_at"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("status"),
            FieldPanel("page", read_only=True),
            FieldPanel("name"),
            FieldPanel("email"),
            FieldPanel("body"),
            FieldPanel("created_at", read_only=True),
        ],
        base_form_class=CommentAdminForm,
    )

    def get_queryset(self, request):
        comments = Comment.objects.select_related("page")
        if request.user.has_perm(MODERATE_PERMISSION):
            return comments
        return comments.on_pages_editable_by(request.user)


class ModerateCommentsBulkAction(SnippetBulkAction):
    models = [Comment]
    template_name = "engagement/admin/confirm_moderate_comments.html"
    status: str

    def check_perm(self, comment) -> bool:
        return self.request.user.has_perm(MODERATE_PERMISSION)

    def get_execution_context(self):
        return {"moderator": self.request.user}

    @classmethod
    def execute_action(cls, objects, moderator=None, **kwargs):
        changed = comments_moderate(
            comments=Comment.objects.filter(pk__in=[comment.pk for comment in objects]),
            status=cls.status,
            moderator=moderator,
        )
        return changed, 0

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d comment marked %(status)s.",
            "%(count)d comments marked %(status)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "status": CommentStatus(self.status).label}


class ApproveCommentsBulkAction(ModerateCommentsBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve selected comments")
    status = CommentStatus.APPROVED
    action_priority = 10


class RejectCommentsBulkAction(ModerateCommentsBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject selected comments")
    status = CommentStatus.REJECTED
    action_priority = 20


class SpamCommentsBulkAction(ModerateCommentsBulkAction):
    display_name = _("Mark as spam")
    action_type = "spam"
    aria_label = _("Mark selected comments as spam")
    status = CommentStatus.SPAM
    action_priority = 25


ROW_ACTIONS = [
    ApproveCommentsBulkAction,
    RejectCommentsBulkAction,
    SpamCommentsBulkAction,
]


def comment_moderation_buttons(snippet, user, next_url=None):
    """One-click moderation of a single comment (through the bulk action's
    confirmation page, so a stray click changes nothing)."""
    if not isinstance(snippet, Comment) or not user.has_perm(MODERATE_PERMISSION):
        return []
    buttons = []
    for priority, action in enumerate(ROW_ACTIONS):
        if snippet.status == action.status:
            continue
        url = reverse(
            "wagtail_bulk_action", args=("engagement", "comment", action.action_type)
        )
        query = urlencode({"id": snippet.pk, "next": next_url or ""})
        buttons.append(
            ListingButton(action.display_name, f"{url}?{query}", priority=priority)
        )
    return buttons

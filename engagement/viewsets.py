"""Admin for reader comments: the moderation listing and its actions (registered
in wagtail_hooks.py).

Editors (change_comment) moderate one by one (row actions, or the edit form) and
in bulk (the listing's bulk actions); Authors (view_comment only) see the comments
on the pages they may edit and nothing else. Wagtail's generic views each load
objects their own way (the listing through the viewset, the others by id from the
model's manager), so every view that reads comments is narrowed here, one by one:
the listing, edit, delete, history, usage and inspect views, the chooser (choose,
results, chosen, chosen-multiple) and every bulk action's confirmation page. A
comment someone may not see is a 404, as if it did not exist.
"""

from functools import cached_property

import django_filters
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets import AdminPageChooser, ListingButton
from wagtail.models import Page
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Comment, CommentStatus
from .services import comments_moderate

MODERATE_PERMISSION = "engagement.change_comment"


def comments_visible_to(user):
    """Every comment for moderators; for Authors, those on pages they may edit."""
    comments = Comment.objects.select_related("page")
    if user.has_perm(MODERATE_PERMISSION):
        return comments
    return comments.on_pages_editable_by(user)


def comment_ids(values) -> list[int]:
    """The ids in `?id=` values that a database could hold; junk is dropped
    rather than reaching the query (`?id=` or `?id=abc` was a 500)."""
    return [int(value) for value in values if value.isdigit() and len(value) <= 18]


class OnlyVisibleComments:
    """For views that load one comment by id (edit, delete, history, usage,
    inspect): a comment the user may not see is a 404."""

    def get_object(self, *args, **kwargs):
        comment = super().get_object(*args, **kwargs)
        if not comments_visible_to(self.request.user).filter(pk=comment.pk).exists():
            raise Http404("No comment found matching the query")
        return comment


def visible_only(view_class):
    return type(f"Visible{view_class.__name__}", (OnlyVisibleComments, view_class), {})


class CommentChooseView(snippet_chooser.ChooseView):
    def get_object_list(self):
        return comments_visible_to(self.request.user)


class CommentChooseResultsView(snippet_chooser.ChooseResultsView):
    def get_object_list(self):
        return comments_visible_to(self.request.user)


class CommentChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        # DoesNotExist is the chooser's own 404.
        ids = comment_ids([str(pk)])
        return comments_visible_to(self.request.user).get(pk=ids[0] if ids else None)


class CommentChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return comments_visible_to(self.request.user).filter(pk__in=comment_ids(pks))


class CommentChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = CommentChooseView
    choose_results_view_class = CommentChooseResultsView
    chosen_view_class = CommentChosenView
    chosen_multiple_view_class = CommentChosenMultipleView


class CommentAdminForm(WagtailAdminModelForm):
    """Editing a comment's status records who moderated it and when."""

    def save(self, commit=True):
        if "status" in self.changed_data:
            self.instance.moderated_at = timezone.now()
            self.instance.moderated_by = self.for_user
        return super().save(commit)


ALL_STATUSES = "all"


class CommentFilterSet(WagtailFilterSet):
    """By status, and by page through Wagtail's page chooser: a plain page filter
    rendered every page as an option (100,000 at that many articles, seconds
    and gigabytes per listing).

    The listing opens on the comments awaiting moderation (the work to do);
    "All" shows every status."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*CommentStatus.choices, (ALL_STATUSES, _("All"))],
        empty_label=None,
        method="filter_status",
    )
    page = django_filters.ModelChoiceFilter(
        label=_("Page"), queryset=Page.objects.all(), widget=AdminPageChooser()
    )

    class Meta:
        model = Comment
        fields = ["status", "page"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = CommentStatus.PENDING
        super().__init__(data, *args, **kwargs)
        # The default is not "a filter applied": no "clear filters" for it.
        self.form.fields["status"].initial = CommentStatus.PENDING

    def filter_status(self, queryset, name, value):
        if value == ALL_STATUSES:
            return queryset
        return queryset.filter(status=value)


class CommentIndexView(snippet_views.IndexView):
    """The moderation listing; its moderation buttons come back to the listing as
    it was (same filters, search and order), not to the bare, unfiltered list."""

    # Wagtail's own fragment marker for results-only requests; pages are dropped
    # too, as moderated comments leave a filtered listing and page N may be gone.
    NOT_KEPT = ("_w_filter_fragment", "p")

    @cached_property
    def return_url(self) -> str:
        query = self.request.GET.copy()
        for key in self.NOT_KEPT:
            query.pop(key, None)
        base = self.get_index_url()
        return f"{base}?{query.urlencode()}" if query else base

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *comment_moderation_buttons(instance, self.request.user, self.return_url),
        ]


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Reader comments")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["__str__", "name", "page", "status", "created_at"]
    filterset_class = CommentFilterSet
    search_fields = ["body", "name", "email"]
    list_per_page = 50
    # Oldest first: moderation works through the queue in the order readers wrote.
    ordering = ["created_at"]
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

    index_view_class = CommentIndexView
    edit_view_class = visible_only(snippet_views.EditView)
    delete_view_class = visible_only(snippet_views.DeleteView)
    history_view_class = visible_only(snippet_views.HistoryView)
    usage_view_class = visible_only(snippet_views.UsageView)
    inspect_view_class = visible_only(snippet_views.InspectView)
    chooser_viewset_class = CommentChooserViewSet

    def get_queryset(self, request):
        return comments_visible_to(request.user)


class VisibleCommentsBulkAction(SnippetBulkAction):
    """The confirmation page lists only comments the user may see (Wagtail's
    lists every requested id, those without permission under "no access", with
    their text); none at all is a 404."""

    models = [Comment]

    def get_actionable_objects(self):
        visible = comments_visible_to(self.request.user)
        requested = self.request.GET.getlist("id")
        if "all" not in requested:
            visible = visible.filter(pk__in=comment_ids(requested))
        objects, no_access = [], []
        for comment in visible.order_by("pk"):
            (objects if self.check_perm(comment) else no_access).append(comment)
        if not objects and not no_access:
            raise Http404("No comment found matching the query")
        return objects, {"items_with_no_access": no_access}


class DeleteCommentsBulkAction(DeleteBulkAction, VisibleCommentsBulkAction):
    """Wagtail's snippet delete, for comments, on the visible ones only
    (registered after Wagtail's, which it replaces for this model). Wagtail's
    class first: it caches the objects it reads through ours, so its after-delete
    hook still sees them."""

    models = [Comment]


class ModerateCommentsBulkAction(VisibleCommentsBulkAction):
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
    confirmation page, so a stray click changes nothing), coming back to
    `next_url` (the bulk action checks it is on this site)."""
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

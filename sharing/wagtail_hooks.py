"""Registers the share links' admin pages, the "Share draft" button of a page's
header menu, and the log actions share links write to a page's history."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from . import admin_urls
from .services import may_share


@hooks.register("register_admin_urls")
def register_share_link_urls():
    return [path("sharing/", include(admin_urls, namespace="sharing_admin"))]


@hooks.register("register_page_header_buttons")
def share_draft_button(page, user, view_name, next_url=None):
    if page.pk and not page.is_root() and may_share(user, page):
        yield Button(
            _("Share draft"),
            reverse("sharing_admin:links", args=[page.pk]),
            icon_name="link",
            priority=66,
        )


@hooks.register("register_log_actions")
def register_share_log_actions(actions):
    actions.register_action(
        "sharing.link_created", _("Share link created"), _("Share link created")
    )
    actions.register_action(
        "sharing.link_revoked", _("Share link revoked"), _("Share link revoked")
    )

    for action, label, verb in READER_ACTIONS:
        actions.register_action(action)(reader_formatter(label, verb))


READER_ACTIONS = [
    ("sharing.comment", _("Share link comment"), _("Comment")),
    ("sharing.looks_good", _("Share link review: looks good"), _("Looks good")),
    (
        "sharing.changes_requested",
        _("Share link review: changes requested"),
        _("Changes requested"),
    ),
]


def reader_formatter(label, verb) -> type[LogFormatter]:
    """The history shows who answered through the link and what they wrote."""

    class ReaderFormatter(LogFormatter):
        def format_message(self, log_entry):
            name = log_entry.data.get("name", "")
            return f"{verb} by {name}, a reader of a share link"

        def format_comment(self, log_entry):
            return log_entry.data.get("text", "")

    ReaderFormatter.label = label
    return ReaderFormatter

"""Registers the dashboard panels (newsroom/panels.py), where the "Pages" menu
opens (newsroom/explorer_start.py) and the workflow action messages
(newsroom/action_messages.py)."""

from wagtail import hooks
from wagtail.admin.views.home import (
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)

from .action_messages import say_what_the_workflow_action_did
from .explorer_start import open_explorer_at_article_index
from .panels import (
    CommentsAwaitingModerationPanel,
    RecentlyPublishedPanel,
    ScheduledSoonPanel,
    WaitingForReviewPanel,
)

# Ours list the same review tasks (oldest first, in a fixed number of queries).
REPLACED_PANELS = (WorkflowObjectsToModeratePanel, UserObjectsInWorkflowModerationPanel)


@hooks.register("construct_homepage_panels")
def newsroom_panels(request, panels: list) -> None:
    panels[:] = [panel for panel in panels if not isinstance(panel, REPLACED_PANELS)]
    panels.append(WaitingForReviewPanel(request))
    if CommentsAwaitingModerationPanel.is_shown_to(request.user):
        panels.append(CommentsAwaitingModerationPanel(request))
    panels.append(ScheduledSoonPanel(request))
    panels.append(RecentlyPublishedPanel(request))


hooks.register("construct_main_menu", open_explorer_at_article_index)
hooks.register("after_edit_page", say_what_the_workflow_action_did)

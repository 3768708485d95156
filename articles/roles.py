"""What an article index grants: Authors may create articles under it (and edit
the ones they own), and its articles go through the review workflow. The site-wide
roles are cms/roles.py."""

from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, WorkflowPage

from cms.roles import AUTHORS, page_permission, review_workflow

AUTHOR_INDEX_PERMISSIONS = ["add_page"]


def grant_article_index(index_pk: int) -> None:
    """Let Authors create articles under this index; attach the review workflow."""
    authors = Group.objects.filter(name=AUTHORS).first()
    workflow = review_workflow()
    if authors is None or workflow is None:
        return  # roles not set up yet (cms.roles.ensure_roles sets them up)
    for codename in AUTHOR_INDEX_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=authors, page_id=index_pk, permission=page_permission(codename)
        )
    WorkflowPage.objects.update_or_create(
        page_id=index_pk, defaults={"workflow": workflow}
    )

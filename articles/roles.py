"""What an article index grants: Authors may create articles under it (and edit
the ones they own), and its articles go through the review workflow; and whom each
role may name as an article's byline. The site-wide roles are cms/roles.py."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from wagtail.models import GroupPagePermission, WorkflowPage

from cms.roles import AUTHORS, EDITORS, page_permission, review_workflow

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


def chooses_any_byline(user) -> bool:
    """Editors (and superusers) credit anyone who writes; everyone else only
    themselves."""
    return user.is_superuser or user.groups.filter(name=EDITORS).exists()


def byline_candidates(user, current_author_id: int | None = None) -> QuerySet:
    """Whom `user` may name as an article's byline: an Editor, the members of the
    Authors and Editors groups; anyone else, only themselves. The article's current
    byline stays choosable, so saving without touching it never fails."""
    if chooses_any_byline(user):
        allowed = Q(groups__name__in=[AUTHORS, EDITORS])
    else:
        allowed = Q(pk=user.pk)
    if current_author_id is not None:
        allowed |= Q(pk=current_author_id)
    return (
        get_user_model()
        .objects.filter(allowed, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def coauthor_candidates(user, current_ids=()) -> QuerySet:
    """Whom `user` may add as a co-author: the members of the Authors and Editors
    groups, whoever asks. Crediting a colleague is what co-authoring is for, so
    an Author may add one too (the lead byline stays restricted as above); what
    keeps that safe is that only an Editor removes someone else's credit
    (ArticlePageForm.clean) and that co-authors may edit but never publish. The
    article's current co-authors stay choosable, as the byline does."""
    del user  # the same people for everyone: see above
    allowed = Q(groups__name__in=[AUTHORS, EDITORS]) | Q(pk__in=list(current_ids))
    return (
        get_user_model()
        .objects.filter(allowed, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def byline_label(user) -> str:
    """A person as readers and the byline menu know them: the full name, else the
    username."""
    return user.get_full_name() or user.get_username()

"""The editorial roles, site-wide: who may do what beyond article indexes.

Authors write and submit for review; Editors review, publish and moderate. Every
check goes through Wagtail's and Django's own permission policies: this module
only declares and grants. What article indexes grant is articles/roles.py.

Data migrations do not call this module (they use the frozen
cms/migrations/_frozen_roles.py with their grants written out); `ensure_roles()`
brings a database to these declarations, and a test checks that the migrated
database already matches them.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowTask,
)

AUTHORS = "Authors"
EDITORS = "Editors"
WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editors approval"

# Page permissions on the tree root: Editors work on every page.
EDITOR_ROOT_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
# Collection permissions on the root collection. add_image lets Authors upload
# and edit their own images; choose_image, pick any.
COLLECTION_PERMISSIONS = {
    AUTHORS: ["add_image", "choose_image"],
    EDITORS: [
        "add_image",
        "change_image",
        "choose_image",
        "delete_image",
        "add_document",
        "change_document",
        "choose_document",
        "delete_document",
    ],
}
# (app_label, model, codename). Reader comments: Editors moderate (change =
# approve/reject/spam, delete); Authors see the comments on pages they may edit.
MODEL_PERMISSIONS = {
    AUTHORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("engagement", "comment", "view_comment"),
    ],
    EDITORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("engagement", "comment", "view_comment"),
        ("engagement", "comment", "change_comment"),
        ("engagement", "comment", "delete_comment"),
        ("wagtailsearchpromotions", "searchpromotion", "add_searchpromotion"),
        ("wagtailsearchpromotions", "searchpromotion", "change_searchpromotion"),
        ("wagtailsearchpromotions", "searchpromotion", "delete_searchpromotion"),
        ("wagtailredirects", "redirect", "add_redirect"),
        ("wagtailredirects", "redirect", "change_redirect"),
        ("wagtailredirects", "redirect", "delete_redirect"),
        ("taggit", "tag", "add_tag"),
        ("taggit", "tag", "change_tag"),
        ("taggit", "tag", "delete_tag"),
        ("taggit", "tag", "view_tag"),
        ("articles", "tagdescription", "add_tagdescription"),
        ("articles", "tagdescription", "change_tagdescription"),
        ("articles", "tagdescription", "delete_tagdescription"),
        ("articles", "tagdescription", "view_tagdescription"),
    ],
}


def model_permission(app_label: str, model: str, codename: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_by_natural_key(app_label, model),
        codename=codename,
    )


def page_permission(codename: str) -> Permission:
    return model_permission("wagtailcore", "page", codename)


def collection_permission(codename: str) -> Permission:
    if codename.endswith("_image"):
        return model_permission("wagtailimages", "image", codename)
    return model_permission("wagtaildocs", "document", codename)


def review_workflow() -> Workflow | None:
    return Workflow.objects.filter(name=WORKFLOW_NAME).first()


def ensure_roles() -> None:
    """Create or complete both groups, their site-wide grants and the workflow."""
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in (AUTHORS, EDITORS)
    }
    for name, permissions in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*(model_permission(*p) for p in permissions))
    root_page = Page.get_first_root_node()
    for codename in EDITOR_ROOT_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=groups[EDITORS], page=root_page, permission=page_permission(codename)
        )
    root_collection = Collection.get_first_root_node()
    for name, codenames in COLLECTION_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=groups[name],
                collection=root_collection,
                permission=collection_permission(codename),
            )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True)
    task.groups.set([groups[EDITORS]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )

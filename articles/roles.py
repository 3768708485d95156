"""The editorial roles as Wagtail group permissions, and the review workflow.

Authors write and submit for review; Editors review, publish and moderate. Every
check goes through Wagtail's own permission policies: this module only grants.

Functions take an app registry so the data migration and the running site share
one definition (pass `django.apps.apps` outside migrations).
"""

AUTHORS = "Authors"
EDITORS = "Editors"
WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editors approval"

# Page permissions granted on the tree root: Editors work on every page.
EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
# Page permissions granted on each article index: create articles, edit own ones.
AUTHOR_PAGE_PERMISSIONS = ["add_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    "add_image",
    "change_image",
    "choose_image",
    "delete_image",
    "add_document",
    "change_document",
    "choose_document",
    "delete_document",
]
# add_image lets Authors upload and edit their own images; choose_image, pick any.
AUTHOR_COLLECTION_PERMISSIONS = ["add_image", "choose_image"]
# (app_label, model, codename) model permissions per role.
# Reader comments: Editors moderate (change = approve/reject/spam, delete); Authors
# only see the comments on their own articles (the admin listing filters them).
MODEL_PERMISSIONS = {
    AUTHORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("articles", "comment", "view_comment"),
    ],
    EDITORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("articles", "comment", "view_comment"),
        ("articles", "comment", "change_comment"),
        ("articles", "comment", "delete_comment"),
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
    ],
}


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def _page_permission(apps, codename: str):
    return _permission(apps, "wagtailcore", "page", codename)


def _collection_permission(apps, codename: str):
    model = "image" if codename.endswith("_image") else "document"
    app_label = "wagtailimages" if model == "image" else "wagtaildocs"
    return _permission(apps, app_label, model, codename)


def ensure_editorial_roles(apps) -> None:
    """Create or complete both groups, their grants and the review workflow."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )

    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in (AUTHORS, EDITORS)
    }
    for name, permissions in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*(_permission(apps, *p) for p in permissions))

    root_page = Page.objects.get(depth=1)
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=groups[EDITORS],
            page=root_page,
            permission=_page_permission(apps, codename),
        )

    root_collection = Collection.objects.get(depth=1)
    for role, codenames in (
        (EDITORS, EDITOR_COLLECTION_PERMISSIONS),
        (AUTHORS, AUTHOR_COLLECTION_PERMISSIONS),
    ):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=groups[role],
                collection=root_collection,
                permission=_collection_permission(apps, codename),
            )

    _ensure_review_workflow(apps, groups[EDITORS])

    ArticleIndexPage = apps.get_model("articles", "ArticleIndexPage")
    for index in ArticleIndexPage.objects.all():
        grant_article_index(apps, index.pk)


def _ensure_review_workflow(apps, editors):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.set([editors])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )
    return workflow


def grant_article_index(apps, index_pk: int) -> None:
    """Let Authors create articles under this index, and attach the review workflow."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    authors = Group.objects.filter(name=AUTHORS).first()
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if authors is None or workflow is None:
        return  # roles not set up yet; the data migration grants existing indexes
    for codename in AUTHOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=authors, page_id=index_pk, permission=_page_permission(apps, codename)
        )
    WorkflowPage.objects.update_or_create(
        page_id=index_pk, defaults={"workflow": workflow}
    )

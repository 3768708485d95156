"""Grant primitives for data migrations, FROZEN: migrations written on them must
behave the same forever, so never change what these functions do. A different
behaviour gets a new module (`_frozen_roles_v2.py`) and new migrations.

The loader skips modules starting with "_", so this is not a migration itself.
Live code grants through cms/roles.py (and articles/roles.py for article
indexes); a test checks that the migrated database matches those declarations.
"""


def permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    found, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return found


def group(apps, name: str):
    return apps.get_model("auth", "Group").objects.get_or_create(name=name)[0]


def grant_model_permissions(apps, group_name: str, permissions) -> None:
    """`permissions`: (app_label, model, codename) triples."""
    group(apps, group_name).permissions.add(
        *(permission(apps, *triple) for triple in permissions)
    )


def grant_page_permissions(apps, group_name: str, page_pk: int, codenames) -> None:
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group(apps, group_name),
            page_id=page_pk,
            permission=permission(apps, "wagtailcore", "page", codename),
        )


def grant_root_collection_permissions(apps, group_name: str, codenames) -> None:
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    root = Collection.objects.get(depth=1)
    for codename in codenames:
        model = "image" if codename.endswith("_image") else "document"
        app_label = "wagtailimages" if model == "image" else "wagtaildocs"
        GroupCollectionPermission.objects.get_or_create(
            group=group(apps, group_name),
            collection=root,
            permission=permission(apps, app_label, model, codename),
        )


def ensure_group_approval_workflow(
    apps, workflow_name: str, task_name: str, group_name: str
) -> None:
    """A one-task workflow whose task the group approves."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=task_name, content_type=task_type, active=True
        )
    task.groups.set([group(apps, group_name)])
    workflow, _ = Workflow.objects.get_or_create(name=workflow_name)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )


def attach_workflow(apps, workflow_name: str, page_pk: int) -> None:
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    workflow = Workflow.objects.get(name=workflow_name)
    WorkflowPage.objects.update_or_create(
        page_id=page_pk, defaults={"workflow": workflow}
    )

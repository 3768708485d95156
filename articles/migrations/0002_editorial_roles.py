"""Create the Authors and Editors roles and the Editorial review workflow.

Idempotent: every grant is get_or_create, so running it on a database that already
has the groups (Wagtail's own migrations create "Editors") only completes them.
Frozen: the grants are written out here as they were when this migration was
made; the live definitions are cms/roles.py and articles/roles.py.
"""

from django.db import migrations

from cms.migrations import _frozen_roles as grants


def create_roles(apps, schema_editor):
    grants.grant_model_permissions(
        apps, "Authors", [("wagtailadmin", "admin", "access_admin")]
    )
    grants.grant_model_permissions(
        apps,
        "Editors",
        [
            ("wagtailadmin", "admin", "access_admin"),
            ("taggit", "tag", "add_tag"),
            ("taggit", "tag", "change_tag"),
            ("taggit", "tag", "delete_tag"),
            ("taggit", "tag", "view_tag"),
        ],
    )
    root_page = apps.get_model("wagtailcore", "Page").objects.get(depth=1)
    grants.grant_page_permissions(
        apps,
        "Editors",
        root_page.pk,
        ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    )
    grants.grant_root_collection_permissions(
        apps,
        "Editors",
        [
            "add_image",
            "change_image",
            "choose_image",
            "delete_image",
            "add_document",
            "change_document",
            "choose_document",
            "delete_document",
        ],
    )
    grants.grant_root_collection_permissions(
        apps, "Authors", ["add_image", "choose_image"]
    )
    grants.ensure_group_approval_workflow(
        apps, "Editorial review", "Editors approval", "Editors"
    )
    ArticleIndexPage = apps.get_model("articles", "ArticleIndexPage")
    for index in ArticleIndexPage.objects.all():
        grants.grant_page_permissions(apps, "Authors", index.pk, ["add_page"])
        grants.attach_workflow(apps, "Editorial review", index.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

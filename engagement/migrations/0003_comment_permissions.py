"""Reader-comment permissions follow the comments to this app (frozen grants):
Authors see comments, Editors moderate them. The old articles.comment permissions
are removed, and the admin history of comments (log entries) moves with them."""

from django.db import migrations

from cms.migrations import _frozen_roles as grants


def move_permissions(apps, schema_editor):
    grants.grant_model_permissions(
        apps, "Authors", [("engagement", "comment", "view_comment")]
    )
    grants.grant_model_permissions(
        apps,
        "Editors",
        [
            ("engagement", "comment", "view_comment"),
            ("engagement", "comment", "change_comment"),
            ("engagement", "comment", "delete_comment"),
        ],
    )
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    old = ContentType.objects.filter(app_label="articles", model="comment").first()
    if old is None:
        return
    new, _ = ContentType.objects.get_or_create(app_label="engagement", model="comment")
    ModelLogEntry.objects.filter(content_type=old).update(content_type=new)
    Permission.objects.filter(content_type=old).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0002_move_rows_from_articles"),
        ("articles", "0005_promotion_and_redirect_permissions"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(move_permissions, migrations.RunPython.noop)]

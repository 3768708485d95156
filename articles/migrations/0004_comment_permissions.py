"""Grant the reader-comment permissions to the editorial roles (frozen: the
comments then lived in this app; engagement 0003 moves the grants)."""

from django.db import migrations

from cms.migrations import _frozen_roles as grants


def grant(apps, schema_editor):
    grants.grant_model_permissions(
        apps, "Authors", [("articles", "comment", "view_comment")]
    )
    grants.grant_model_permissions(
        apps,
        "Editors",
        [
            ("articles", "comment", "view_comment"),
            ("articles", "comment", "change_comment"),
            ("articles", "comment", "delete_comment"),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_reader_engagement")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

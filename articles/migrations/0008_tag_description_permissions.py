"""Editors write tag descriptions (frozen grants)."""

from django.db import migrations

from cms.migrations import _frozen_roles as grants


def grant(apps, schema_editor):
    grants.grant_model_permissions(
        apps,
        "Editors",
        [
            ("articles", "tagdescription", f"{action}_tagdescription")
            for action in ("add", "change", "delete", "view")
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_tag_descriptions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

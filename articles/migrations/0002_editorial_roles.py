"""Create the Authors and Editors roles and the Editorial review workflow.

Idempotent: every grant is get_or_create, so running it on a database that already
has the groups (Wagtail's own migrations create "Editors") only completes them.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from articles.roles import ensure_editorial_roles

    ensure_editorial_roles(apps)


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

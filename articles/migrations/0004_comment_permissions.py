"""Grant the reader-comment permissions to the editorial roles (see roles.py)."""

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import ensure_editorial_roles

    ensure_editorial_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_reader_engagement")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

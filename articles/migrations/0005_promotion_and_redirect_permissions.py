"""Editors manage promoted search results and redirects (see roles.py)."""

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import ensure_editorial_roles

    ensure_editorial_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_comment_permissions"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

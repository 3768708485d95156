"""Editors manage promoted search results and redirects (frozen grants)."""

from django.db import migrations

from cms.migrations import _frozen_roles as grants


def grant(apps, schema_editor):
    grants.grant_model_permissions(
        apps,
        "Editors",
        [
            ("wagtailsearchpromotions", "searchpromotion", "add_searchpromotion"),
            ("wagtailsearchpromotions", "searchpromotion", "change_searchpromotion"),
            ("wagtailsearchpromotions", "searchpromotion", "delete_searchpromotion"),
            ("wagtailredirects", "redirect", "add_redirect"),
            ("wagtailredirects", "redirect", "change_redirect"),
            ("wagtailredirects", "redirect", "delete_redirect"),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_comment_permissions"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

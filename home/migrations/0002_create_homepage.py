"""Replace Wagtail's welcome page with the HomePage and make it the default site's root.

The stock project template's `run_before=wagtailcore.0053` trick turns circular once
home's first migration depends on a recent wagtailcore migration, so this migration
runs after all of wagtailcore and rewires the existing tree instead.
"""

import uuid

from django.db import migrations

WELCOME_PATH = "00010001"


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("home", "HomePage")

    if HomePage.objects.exists():
        return
    root = Page.objects.get(depth=1)
    locale = Locale.objects.order_by("pk").first()
    content_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    last_child = Page.objects.filter(depth=2).order_by("-path").first()
    next_index = int(last_child.path[-4:]) + 1 if last_child else 1

    home = HomePage.objects.create(
        title="Presswagon",
        draft_title="Presswagon",
        slug="home",
        content_type=content_type,
        path=f"{root.path}{next_index:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=locale,
        translation_key=uuid.uuid4(),
        strapline="Independent reporting on technology, culture and the craft of publishing.",
    )

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True
        )
    else:
        site.root_page_id = home.pk
        site.save(update_fields=["root_page"])

    # The welcome page is a plain Page created by wagtailcore's initial data.
    Page.objects.filter(
        path=WELCOME_PATH,
        content_type__app_label="wagtailcore",
        content_type__model="page",
    ).delete()
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())


def remove_homepage(apps, schema_editor):
    HomePage = apps.get_model("home", "HomePage")
    HomePage.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]

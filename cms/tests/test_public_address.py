"""SITE_URL reaches the Wagtail Site record (migrate, set_site_url, demo content)
and absolute URLs; tests of every public surface are in
articles/tests/test_public_address.py."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models.signals import post_save
from django.test import RequestFactory
from wagtail.models import Site

from cms.public_address import absolute_url, sync_site_record

pytestmark = pytest.mark.django_db


def default_site() -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def unnamed_localhost_site(home_page):
    """What Wagtail's and our initial migrations leave behind."""
    Site.objects.filter(is_default_site=True).update(
        hostname="localhost", port=80, site_name=""
    )


@pytest.mark.parametrize(
    "site_url, hostname, port",
    [
        ("https://news.example.org", "news.example.org", 443),
        ("http://news.example.org", "news.example.org", 80),
        ("http://127.0.0.1:8000", "127.0.0.1", 8000),
    ],
)
def test_the_site_record_spells_the_public_address(
    unnamed_localhost_site, site_url, hostname, port
):
    site = sync_site_record(site_url)
    stored = default_site()
    assert (stored.hostname, stored.port) == (hostname, port)
    assert stored.root_url == site_url
    assert site.pk == stored.pk
    # No name of its own: the project's, so the admin never greets with a hostname.
    assert stored.site_name == "Presswagon"


def test_a_chosen_site_name_is_kept(unnamed_localhost_site):
    Site.objects.update(site_name="The Daily Wagon")
    sync_site_record("https://news.example.org")
    assert default_site().site_name == "The Daily Wagon"


def test_an_unchanged_record_is_not_saved_again(unnamed_localhost_site):
    """Saving a Site clears the whole page cache: only a real change may."""
    sync_site_record("https://news.example.org")
    saves = []

    def count(**kwargs):
        saves.append(kwargs["instance"])

    post_save.connect(count, sender=Site)
    try:
        sync_site_record("https://news.example.org")
    finally:
        post_save.disconnect(count, sender=Site)
    assert saves == []


def test_without_an_address_nothing_changes(unnamed_localhost_site, settings):
    settings.SITE_URL = ""
    assert sync_site_record() is None
    assert default_site().hostname == "localhost"


def test_migrate_brings_the_site_record_in_step(unnamed_localhost_site, settings):
    settings.SITE_URL = "https://news.example.org"
    call_command("migrate", verbosity=0)
    assert default_site().root_url == "https://news.example.org"


def test_set_site_url_reads_the_setting_or_its_option(unnamed_localhost_site, settings):
    settings.SITE_URL = "https://news.example.org"
    call_command("set_site_url", stdout=None)
    assert default_site().root_url == "https://news.example.org"
    call_command("set_site_url", "--url", "http://127.0.0.1:8010/")
    assert default_site().root_url == "http://127.0.0.1:8010"


@pytest.mark.parametrize("url", ["news.example.org", "ftp://x.example", "http://"])
def test_set_site_url_refuses_what_is_not_an_address(unnamed_localhost_site, url):
    with pytest.raises(CommandError, match="Not an http"):
        call_command("set_site_url", "--url", url)
    assert default_site().hostname == "localhost"


def test_set_site_url_says_when_there_is_nothing_to_set(
    unnamed_localhost_site, settings
):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="set SITE_URL"):
        call_command("set_site_url")


def test_absolute_urls_ignore_the_host_header_once_there_is_an_address(settings):
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8000")
    settings.SITE_URL = ""
    assert absolute_url(request, "/articles/") == "http://127.0.0.1:8000/articles/"
    settings.SITE_URL = "https://news.example.org"
    assert absolute_url(request, "/articles/") == "https://news.example.org/articles/"
    # Object storage already hands out absolute URLs: they are kept as they are.
    bucket = "https://media.example.net/images/a.jpg"
    assert absolute_url(request, bucket) == bucket

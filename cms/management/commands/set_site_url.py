"""Point the Wagtail Site record at the public address (settings.SITE_URL).

`migrate` does this too (cms/apps.py); run this after changing SITE_URL without a
migrate, or with --url to set an address other than the configured one:

    SITE_URL=https://news.example.org python manage.py set_site_url
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from cms.public_address import sync_site_record


class Command(BaseCommand):
    help = "Copy SITE_URL (or --url) into the default Wagtail Site record."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="Use this address instead of SITE_URL.")

    def handle(self, *args, url: str | None = None, **options):
        if url is not None:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise CommandError(f"Not an http(s) address: {url!r}") from None
            url = url.rstrip("/")
        site = sync_site_record(url)
        if site is None:
            raise CommandError(
                "Nothing to do: set SITE_URL (or pass --url) and create a default site."
            )
        self.stdout.write(
            f"Site {site.site_name!r} now answers at {site.root_url} "
            f"(hostname {site.hostname}, port {site.port})."
        )

"""The site's one public address (settings.SITE_URL) and what follows from it.

Absolute URLs are built from SITE_URL rather than from the request: behind a proxy
the Host header is whatever the proxy passed on (127.0.0.1:8000, an internal name),
and a cached page must carry the same links whoever's request filled the cache.
Without SITE_URL (development) they follow the request, as Django's own do.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections, transaction
from wagtail.models import Site


def absolute_url(request, location: str) -> str:
    """`location` (a path, or an already absolute URL such as an object-storage
    one) as an absolute URL on the public address."""
    if urlsplit(location).scheme:
        return location
    if settings.SITE_URL:
        return settings.SITE_URL + "/" + location.lstrip("/")
    return request.build_absolute_uri(location)


def site_record_values(site_url: str) -> dict:
    """Wagtail Site fields that spell `site_url` (its root_url gives it back)."""
    address = urlsplit(site_url)
    default_port = 443 if address.scheme == "https" else 80
    return {"hostname": address.hostname, "port": address.port or default_port}


@transaction.atomic
def sync_site_record(site_url: str | None = None) -> Site | None:
    """Point the default Site at the public address, keeping its name (or giving
    it the project's name if it has none, so the admin does not greet editors with
    a hostname). None when there is no address or no default site."""
    site_url = settings.SITE_URL if site_url is None else site_url
    if not site_url:
        return None
    site = Site.objects.select_for_update().filter(is_default_site=True).first()
    if site is None:
        return None
    values = site_record_values(site_url)
    if not site.site_name:
        values["site_name"] = settings.WAGTAIL_SITE_NAME
    changed = {
        name: value for name, value in values.items() if getattr(site, name) != value
    }
    if changed:
        for name, value in changed.items():
            setattr(site, name, value)
        # save(), not update(): Site changes clear the page cache through signals.
        site.save()
    return site


def sync_site_record_after_migrate(*, using: str, plan=None, **kwargs) -> None:
    """post_migrate receiver. Only after a migrate (flush sends no plan), and only
    once the Site table exists (`migrate someapp 0001` may stop before it)."""
    if plan is None or not settings.SITE_URL:
        return
    if "wagtailcore_site" in connections[using].introspection.table_names():
        sync_site_record()

"""Edge purgers (interim: Varnish only, replaced by the full set of adapters)."""

import urllib.error
import urllib.request
from collections.abc import Sequence

from django.conf import settings

from .tags import edge_tags


class EdgePurgeFailed(Exception):
    """A purge the edge did not confirm; the purge task retries it later."""


class VarnishPurger:
    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.name = f"varnish:{self.base_url}"

    def purge(self, tags: Sequence[str]) -> None:
        request = urllib.request.Request(  # noqa: S310 - configured URL
            self.base_url + "/",
            method="PURGE",
            headers={"xkey": " ".join(edge_tags(tags))},
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                response.read()
        except (urllib.error.URLError, OSError) as error:
            raise EdgePurgeFailed(f"{self.name}: {error}") from error


def configured_purgers() -> list:
    return [VarnishPurger(url) for url in settings.VARNISH_URLS]


def purger_named(name: str):
    return next((p for p in configured_purgers() if p.name == name), None)

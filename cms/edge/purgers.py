"""Every configured edge as a Purger: each Varnish node (VARNISH_URLS), then the CDN.

The durable purge task (cms/page_cache/tasks.py) calls `purge()` on each and, when
some raise EdgePurgeFailed, re-enqueues the purge for those alone, by name
(`purger_named`). Purges are idempotent, so a retry purges every tag again.
Adapters: varnish.py, cloudflare.py, fastly.py; what they share: transport.py.
"""

from collections.abc import Sequence
from typing import Protocol

from django.conf import settings

from .cloudflare import CloudflarePurger
from .fastly import FastlyPurger
from .transport import EdgePurgeFailed
from .varnish import VarnishPurger

__all__ = ["EdgePurgeFailed", "Purger", "configured_purgers", "purger_named"]


class Purger(Protocol):
    # Stable across processes and restarts: "varnish:<base URL>", "cloudflare",
    # "fastly".
    name: str

    def purge(self, tags: Sequence[str]) -> None:
        """Purge our (unhashed) tags at this edge; raise EdgePurgeFailed unless the
        edge confirmed every batch."""


def configured_purgers() -> list[Purger]:
    """One per VARNISH_URLS entry, in order, then the configured CDN; read from
    settings on every call."""
    purgers: list[Purger] = [VarnishPurger(url) for url in settings.VARNISH_URLS]
    if settings.CDN == "cloudflare":
        purgers.append(
            CloudflarePurger(
                zone_id=settings.CLOUDFLARE_ZONE_ID,
                api_token=settings.CLOUDFLARE_API_TOKEN,
                api_url=settings.CLOUDFLARE_API_URL,
            )
        )
    elif settings.CDN == "fastly":
        purgers.append(
            FastlyPurger(
                service_id=settings.FASTLY_SERVICE_ID,
                api_token=settings.FASTLY_API_TOKEN,
                api_url=settings.FASTLY_API_URL,
            )
        )
    return purgers


def purger_named(name: str) -> Purger | None:
    """The configured purger called `name`; None when it is no longer configured
    (settings changed between a failure and its retry): nothing left to purge."""
    return next((p for p in configured_purgers() if p.name == name), None)

"""Purging Fastly by surrogate key (the documented API):

    POST {FASTLY_API_URL}/service/{service_id}/purge
    Fastly-Key: <token>
    Surrogate-Key: <space-separated keys>     at most 256 keys a request

A hard purge (no Fastly-Soft-Purge): a purged page is never served stale. Success
is HTTP 200. 429 and 5xx are tried again within the call
(transport.send_with_retries); anything else fails at once.
"""

import json
import time
import urllib.request
from collections.abc import Sequence

from .tags import edge_tags
from .transport import EdgePurgeFailed, Reply, batches, log_purged, send_with_retries

# Fastly's limit on keys in one batch purge.
MAX_KEYS_PER_REQUEST = 256
TIMEOUT = 5.0


def _error(reply: Reply) -> str:
    """Fastly's `msg` and `detail`, or the start of the body."""
    try:
        body = json.loads(reply.body)
        return " ".join(str(body[k]) for k in ("msg", "detail") if body.get(k))
    except (ValueError, AttributeError, TypeError):
        return reply.body[:200].decode(errors="replace").strip()


class FastlyPurger:
    name = "fastly"

    def __init__(self, *, service_id: str, api_token: str, api_url: str):
        self.service_id = service_id
        self._api_token = api_token
        self.url = f"{api_url.rstrip('/')}/service/{service_id}/purge"

    def __repr__(self) -> str:
        # Never the token: purgers end up in logs and task arguments' reprs.
        return f"<FastlyPurger service {self.service_id}>"

    def purge(self, tags: Sequence[str]) -> None:
        started = time.perf_counter()
        hashed = edge_tags(tags)
        requests = 0
        for batch in batches(hashed, MAX_KEYS_PER_REQUEST):
            request = urllib.request.Request(  # noqa: S310 - the configured API URL
                self.url,
                method="POST",
                headers={
                    "Fastly-Key": self._api_token,
                    "Surrogate-Key": " ".join(batch),
                    "Accept": "application/json",
                },
            )
            reply = send_with_retries(request, timeout=TIMEOUT, edge=self.name)
            requests += 1
            if reply.status != 200:
                raise EdgePurgeFailed(
                    f"fastly purge of {len(batch)} keys in service "
                    f"{self.service_id} answered {reply.status}: "
                    f"{_error(reply) or 'no message given'}"
                )
        log_purged(self.name, len(hashed), requests, started, "keys")

"""Purging Cloudflare by cache tag (the documented API):

    POST {CLOUDFLARE_API_URL}/zones/{zone_id}/purge_cache
    Authorization: Bearer <token>
    {"tags": [...]}            at most 100 tags a request

Success is HTTP 200 with `"success": true`. 429 and 5xx are tried again within the
call (transport.send_with_retries); anything else fails at once with Cloudflare's
`errors`.
"""

import json
import time
import urllib.request
from collections.abc import Sequence

from .tags import edge_tags
from .transport import EdgePurgeFailed, Reply, batches, log_purged, send_with_retries

# Cloudflare's limit on operations (tags) in one purge request, on every plan.
MAX_TAGS_PER_REQUEST = 100
TIMEOUT = 5.0


def _errors(reply: Reply) -> str:
    """Cloudflare's `errors` ("code message; ..."), or the start of the body."""
    try:
        errors = json.loads(reply.body).get("errors") or []
        return "; ".join(
            f"{error.get('code', '?')} {error.get('message', '')}".strip()
            for error in errors
        )
    except (ValueError, AttributeError):
        return reply.body[:200].decode(errors="replace").strip()


def _succeeded(reply: Reply) -> bool:
    if reply.status != 200:
        return False
    try:
        return json.loads(reply.body).get("success") is True
    except (ValueError, AttributeError):
        return False


class CloudflarePurger:
    name = "cloudflare"

    def __init__(self, *, zone_id: str, api_token: str, api_url: str):
        self.zone_id = zone_id
        self._api_token = api_token
        self.url = f"{api_url.rstrip('/')}/zones/{zone_id}/purge_cache"

    def __repr__(self) -> str:
        # Never the token: purgers end up in logs and task arguments' reprs.
        return f"<CloudflarePurger zone {self.zone_id}>"

    def purge(self, tags: Sequence[str]) -> None:
        started = time.perf_counter()
        hashed = edge_tags(tags)
        requests = 0
        for batch in batches(hashed, MAX_TAGS_PER_REQUEST):
            request = urllib.request.Request(  # noqa: S310 - the configured API URL
                self.url,
                method="POST",
                data=json.dumps({"tags": list(batch)}).encode(),
                headers={
                    "Authorization": f"Bearer {self._api_token}",
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
            )
            reply = send_with_retries(request, timeout=TIMEOUT, edge=self.name)
            requests += 1
            if not _succeeded(reply):
                raise EdgePurgeFailed(
                    f"cloudflare purge of {len(batch)} tags in zone {self.zone_id} "
                    f"answered {reply.status}: {_errors(reply) or 'no errors given'}"
                )
        log_purged(self.name, len(hashed), requests, started, "tags")

"""Purging Varnish: `PURGE <base>/` with the edge tags in `xkey`, one request per
batch, to one node. deploy/varnish/presswagon.vcl answers 200 once purged."""

import time
import urllib.request
from collections.abc import Iterator, Sequence

from .tags import edge_tags
from .transport import EdgePurgeFailed, log_purged, send

# Varnish refuses a request with any header line longer than http_req_hdr_len
# (8 KB by default); the value stays below it with room for "xkey: " and CRLF.
MAX_XKEY_BYTES = 8000
# Nodes are on our network: one that does not answer within this is down (connect,
# then each read), and the purge task tries it again later.
TIMEOUT = 2.0


def xkey_batches(tags: Sequence[str]) -> Iterator[str]:
    """Space-separated values of at most MAX_XKEY_BYTES, every tag in exactly one."""
    batch: list[str] = []
    size = 0
    for tag in tags:
        added = len(tag.encode()) + (1 if batch else 0)
        if batch and size + added > MAX_XKEY_BYTES:
            yield " ".join(batch)
            batch, size = [], 0
            added = len(tag.encode())
        batch.append(tag)
        size += added
    if batch:
        yield " ".join(batch)


class VarnishPurger:
    def __init__(self, base_url: str):
        # The name outlives a restart in queued retries: "http://a:6081/" and
        # "http://a:6081" are one node, and one name.
        self.base_url = base_url.rstrip("/")
        self.name = f"varnish:{self.base_url}"
        self.purge_url = f"{self.base_url}/"

    def __repr__(self) -> str:
        return f"<VarnishPurger {self.name}>"

    def purge(self, tags: Sequence[str]) -> None:
        started = time.perf_counter()
        requests = 0
        hashed = edge_tags(tags)
        for xkey in xkey_batches(hashed):
            request = urllib.request.Request(  # noqa: S310 - our own http(s) URL
                self.purge_url, method="PURGE", headers={"xkey": xkey}
            )
            reply = send(request, timeout=TIMEOUT, use_proxies=False)
            requests += 1
            if not 200 <= reply.status < 300:
                raise EdgePurgeFailed(
                    f"{self.name} answered {reply.status} to PURGE: "
                    f"{reply.body[:200].decode(errors='replace').strip()}"
                )
        log_purged(self.name, len(hashed), requests, started, "tags")

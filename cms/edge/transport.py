"""What every purger shares: one HTTP exchange, the retry policy, batching.

Standard library only (urllib.request). Redirects are never followed and error
statuses never raise: each purger reads the status itself, and a request carrying an
API token is never re-sent somewhere else.
"""

import email.utils
import http.client
import logging
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message

logger = logging.getLogger("cms.edge")

# Within one call, a 429 or 5xx is tried this many times in all; a purge still
# failing after that is the durable purge task's to retry later.
ATTEMPTS = 3
# A wait between attempts never exceeds this, whatever Retry-After asks, so one call
# waits at most (ATTEMPTS - 1) * MAX_RETRY_WAIT seconds.
MAX_RETRY_WAIT = 2.0
# Without Retry-After: 0.5 s, then 1 s.
FIRST_BACKOFF = 0.5
# Enough of a reply body for a status message; purge replies are small.
MAX_BODY_BYTES = 64 * 1024


class EdgePurgeFailed(Exception):
    """A purge the edge did not confirm; the purge task retries it later."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes


class _KeepEveryReply(urllib.request.HTTPErrorProcessor):
    """Hand back every status as it is: no HTTPError, and so no redirect either
    (urllib follows redirects from inside its error handling)."""

    def http_response(self, request, response):
        return response

    https_response = http_response


def _opener(*, use_proxies: bool) -> urllib.request.OpenerDirector:
    # Varnish nodes are our own, on the private network: never through a proxy.
    # The CDN APIs honour the environment's (https_proxy), as egress often needs.
    proxies = urllib.request.ProxyHandler(None if use_proxies else {})
    return urllib.request.build_opener(_KeepEveryReply(), proxies)


def send(
    request: urllib.request.Request, *, timeout: float, use_proxies: bool
) -> Reply:
    """One exchange. A refused, dropped or timed-out connection is EdgePurgeFailed;
    any status, 2xx or not, is a Reply."""
    try:
        with _opener(use_proxies=use_proxies).open(request, timeout=timeout) as reply:
            return Reply(reply.status, reply.headers, reply.read(MAX_BODY_BYTES))
    except (OSError, http.client.HTTPException) as exc:
        # The message names the method and URL only, never the request's headers
        # (they carry the API token).
        raise EdgePurgeFailed(
            f"{request.get_method()} {request.full_url} failed: {exc!r}"
        ) from exc


def retryable(status: int) -> bool:
    return status == 429 or status >= 500


def retry_wait(reply: Reply, attempt: int) -> float:
    """Seconds to wait before the attempt after `attempt` (0-based): Retry-After
    (seconds or an HTTP date) when the edge sends it, else a doubling backoff;
    never more than MAX_RETRY_WAIT."""
    wait = FIRST_BACKOFF * 2**attempt
    value = (reply.headers.get("Retry-After") or "").strip()
    if value.isdigit():
        wait = float(value)
    elif value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            pass
        else:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            wait = (when - datetime.now(UTC)).total_seconds()
    return min(max(wait, 0.0), MAX_RETRY_WAIT)


def send_with_retries(
    request: urllib.request.Request, *, timeout: float, edge: str
) -> Reply:
    """Send; on 429 or 5xx wait and send again, up to ATTEMPTS in all. Returns the
    last reply, whatever its status: the caller decides what success is."""
    for attempt in range(ATTEMPTS):
        reply = send(request, timeout=timeout, use_proxies=True)
        if not retryable(reply.status) or attempt == ATTEMPTS - 1:
            return reply
        wait = retry_wait(reply, attempt)
        logger.warning(
            "edge purge: %s answered %d; trying again in %.1f s (attempt %d of %d)",
            edge,
            reply.status,
            wait,
            attempt + 2,
            ATTEMPTS,
        )
        time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def log_purged(edge: str, count: int, requests: int, started: float, unit: str) -> None:
    """One info line per purge that sent anything: how many tags (or keys) in how
    many requests, and how long since `started` (time.perf_counter())."""
    if requests:
        logger.info(
            "edge purge: %s purged %d %s in %d requests in %.1f ms",
            edge,
            count,
            unit,
            requests,
            (time.perf_counter() - started) * 1000,
        )

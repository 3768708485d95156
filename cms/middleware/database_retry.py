"""Retry a read once when its database connection died under it.

When PostgreSQL restarts, requests holding a pooled connection at that moment fail
("terminating connection due to administrator command"). A GET or HEAD changes
nothing, so it is safe to run again on a fresh connection from the pool, and so is
a write a view declares idempotent with @retry_safe (e.g. a comment carrying its
submission key); anything else is left to the 503 error view. Innermost middleware,
so it sees the view's exception first.

The retry waits (at most DATABASE_RETRY_WAIT seconds) until the database accepts a
connection again: a restart takes a fraction of a second, and retrying at once
while it is still shutting down only fails a second time.
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger("cms.database")

RETRIED = "_database_retry_done"


def retry_safe(when=lambda request: True):
    """Mark a view whose writes may run twice with the same result (when `when`
    says so for the request), so a lost connection is retried like a read."""

    def mark(view):
        view.database_retry_safe = when
        return view

    return mark


def _may_retry(request) -> bool:
    if request.method in ("GET", "HEAD"):
        return True
    when = getattr(request.resolver_match.func, "database_retry_safe", None)
    return when is not None and when(request)


class DatabaseRetryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if getattr(request, RETRIED, False) or request.resolver_match is None:
            return None
        if connection.in_atomic_block or not _may_retry(request):
            return None
        setattr(request, RETRIED, True)
        logger.warning(
            "database connection lost mid-request; retrying once: %s", exception
        )
        connection.close()  # a broken connection goes back to the pool to be discarded
        _wait_for_database(settings.DATABASE_RETRY_WAIT)
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)


def _wait_for_database(seconds: float) -> None:
    """Return once a fresh connection answers, or after `seconds` (the retry then
    fails like the first attempt, as a 503)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return
        except (OperationalError, InterfaceError):
            connection.close()
            if time.monotonic() >= deadline:
                return
            time.sleep(0.1)

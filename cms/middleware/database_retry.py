"""Retry a read once when its database connection died under it.

When PostgreSQL restarts, requests holding a pooled connection at that moment fail
("terminating connection due to administrator command"). A GET or HEAD changes
nothing, so it is safe to run again on a fresh connection from the pool; anything
else is left to the 503 error view. Innermost middleware, so it sees the view's
exception first.
"""

import logging

from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger("cms.database")

RETRIED = "_database_retry_done"


class DatabaseRetryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if request.method not in ("GET", "HEAD") or getattr(request, RETRIED, False):
            return None
        if connection.in_atomic_block or request.resolver_match is None:
            return None
        setattr(request, RETRIED, True)
        logger.warning(
            "database connection lost mid-request; retrying once: %s", exception
        )
        connection.close()  # a broken connection goes back to the pool to be discarded
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)

"""Request ids and one structured log line per request.

Outermost middleware, so the duration covers the whole stack and the page cache's
verdict is known. An incoming X-Request-ID is kept when it looks like an id (so a
proxy's id follows the request through), otherwise a new UUID is made. Only ids go
into the log: the user's id, never their name, email, cookies or the query string.
The client is logged as its network (IPv4 /24, IPv6 /48), never its full address:
enough to see which network a flood comes from, not to single out a reader. The
address is the reader's behind trusted proxies (cms/client_address.py).
"""

import ipaddress
import logging
import re
import time
import uuid

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404

from cms.client_address import client_address, parse_address
from cms.request_context import current_request_id

logger = logging.getLogger("cms.requests")

# Exceptions Django turns into a 4xx (SuspiciousOperation also goes to the
# django.security logger, at WARNING without a traceback beyond Django's own).
CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)

VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
# Path segments that are secrets (password reset tokens) are masked.
SECRET_PATH = re.compile(r"(/password_reset/confirm/)[^/]+/[^/]+/")


def request_id_for(request) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def masked_client(request) -> str:
    """The client's network: 203.0.113.7 is logged as 203.0.113.0/24."""
    address = parse_address(client_address(request))
    if address is None:
        return "unknown"
    if address.version == 4:
        return str(ipaddress.IPv4Network((address, 24), strict=False))
    return str(ipaddress.IPv6Network((address, 48), strict=False))


class RequestLoggingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_for(request)
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            client = masked_client(request)
            logger.info(
                "%s %s %s %s",
                request.method,
                self.safe_path(request),
                response.status_code,
                client,
                extra={
                    "method": request.method,
                    "path": self.safe_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": self.user_id(request),
                    "cache": response.get("X-Wagtail-Cache", ""),
                    "client": client,
                },
            )
            return response
        finally:
            current_request_id.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, CLIENT_ERRORS):
            # A 404, 403 or 400 is the answer, not a fault: the request line above
            # records it (at INFO) once, without a traceback. Anyone can make a
            # million of them; they must not each write an ERROR and a traceback.
            return None
        # Django's own "django.request" error log is switched off in LOGGING, so each
        # exception is logged exactly once, here, with its traceback and request id.
        logger.error(
            "unhandled %s on %s %s",
            type(exception).__name__,
            request.method,
            self.safe_path(request),
            exc_info=exception,
        )
        return None

    @staticmethod
    def safe_path(request) -> str:
        return SECRET_PATH.sub(r"\1***/***/", request.path)

    @staticmethod
    def user_id(request):
        # A page-cache hit never runs authentication: no user to report.
        user = request.__dict__.get("user")
        if user is None:
            return None
        return user.pk if user.is_authenticated else None

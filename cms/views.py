"""Site-wide views: health checks and the error page that knows about outages."""

import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error

from cms.page_cache.store import get_breaker

logger = logging.getLogger("cms.health")

RETRY_AFTER_SECONDS = "30"


@never_cache
def healthz(request):
    """The process is alive and serving."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Ready for traffic: the database answers. The cache is reported but not
    required: the site fails open without it."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        logger.error("readiness: database unreachable: %s", error)
        checks["database"] = f"unreachable: {type(error).__name__}"
    breaker = get_breaker()
    if breaker.is_open:
        # A recent cache error: don't stall a worker on it again, report it.
        checks["cache"] = "unreachable (recent errors)"
    else:
        try:
            cache.set("readyz", "1", 5)
            if cache.get("readyz") != "1":
                checks["cache"] = "unreachable"
        except Exception as error:
            checks["cache"] = f"unreachable: {type(error).__name__}"
        if checks["cache"] != "ok":
            breaker.trip()
    ready = checks["database"] == "ok"
    response = JsonResponse(
        {
            "status": "ready" if ready else "unavailable",
            "checks": checks,
            # How often this process gave up on the cache for a pause: a number
            # that keeps climbing means a flapping Redis, not one outage.
            "cache_breaker_trips": breaker.trips,
        },
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def handler500(request):
    """A database outage is a 503 with Retry-After (come back soon), not a 500."""
    error = sys.exc_info()[1]
    from_pool = type(error).__module__.startswith("psycopg_pool")  # pool timeout
    if isinstance(error, DatabaseError) or from_pool:
        response = HttpResponse(
            "<!DOCTYPE html><title>Back soon</title>"
            "<h1>We will be back in a moment</h1>"
            "<p>The site is briefly unavailable. Please try again shortly.</p>",
            status=503,
        )
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    return server_error(request)

"""Site-wide views: health checks and the error page that knows about outages."""

import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error

from cms.page_cache.store import get_breaker
from cms.task_queue import queue_status

logger = logging.getLogger("cms.health")

RETRY_AFTER_SECONDS = "30"


@never_cache
def healthz(request):
    """The process is alive and serving."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Ready for traffic: the database answers. The cache and the task queue are
    reported but not required: the site fails open without the cache, and serves
    (possibly stale pages) while no task worker runs."""
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
    if checks["database"] == "ok":
        # Purges wait in this queue: a stalled one means stale pages for readers.
        checks["task_queue"] = queue_status()
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


def favicon(request):
    """/favicon.ico, which browsers, feed readers and crawlers ask for whatever the
    page says: the icon under its static (hashed, long-cached) name. Temporary,
    because that name changes when the icon does."""
    return HttpResponseRedirect(static("icons/favicon.ico"))


def handler500(request):
    """A database outage is a 503 with Retry-After (come back soon), not a 500."""
    error = sys.exc_info()[1]
    from_pool = type(error).__module__.startswith("psycopg_pool")  # pool timeout
    if isinstance(error, DatabaseError) or from_pool:
        # 503.html needs no context and no query, so it renders without a database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    return server_error(request)

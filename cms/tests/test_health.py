"""Health checks and the database-outage answer."""

import pytest
from django.db import OperationalError
from django.test import override_settings

from cms.tests.outage import CLOSED_PORT_CACHES

pytestmark = pytest.mark.django_db


def test_healthz_says_alive_and_is_never_cached(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first.status_code == 200 and first.json() == {"status": "ok"}
    assert second["X-Wagtail-Cache"] == "skip"
    assert "no-cache" in second["Cache-Control"]


def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "task_queue": "ok",
    }
    assert response.json()["cache_breaker_trips"] == 0


DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def test_readyz_reports_a_task_queue_no_worker_empties(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from cms.page_cache.tasks import purge_cache_tags

    settings.TASKS = DATABASE_QUEUE
    purge_cache_tags.enqueue(["page:1"], ["store"], timezone.now().isoformat())
    assert client.get("/readyz").json()["checks"]["task_queue"] == "ok"  # just now

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/readyz")
    assert response.status_code == 200  # still serving, stale pages and all
    assert response.json()["checks"]["task_queue"].startswith(
        "stalled: a task has waited 300 s"
    )

    # A purge deferred for later has waited only since its moment came.
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=5))
    assert client.get("/readyz").json()["checks"]["task_queue"] == "ok"


def test_readyz_is_503_with_a_reason_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unreachable")
    assert response["Retry-After"] == "30"


@override_settings(CACHES=CLOSED_PORT_CACHES, PAGE_CACHE_OUTAGE_PAUSE=3600)
def test_readyz_stays_ready_without_the_cache_and_counts_breaker_trips(client):
    first, second = client.get("/readyz"), client.get("/readyz")

    assert first.status_code == second.status_code == 200
    assert first.json()["checks"]["cache"].startswith("unreachable")
    assert first.json()["cache_breaker_trips"] == 1
    # The second probe trusts the open breaker instead of timing out on Redis again.
    assert second.json()["checks"]["cache"] == "unreachable (recent errors)"
    assert second.json()["cache_breaker_trips"] == 1


def test_a_database_outage_is_503_with_retry_after(client, home_page, monkeypatch):
    from home.models import HomePage

    def down(self, request, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(HomePage, "get_context", down)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Traceback" not in response.content
    assert b"back in a moment" in response.content
    assert b"/static/css/site.css" in response.content  # styled, without the database


def test_other_errors_stay_500(client, home_page, monkeypatch):
    from home.models import HomePage

    monkeypatch.setattr(HomePage, "get_context", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert b"ZeroDivisionError" not in response.content

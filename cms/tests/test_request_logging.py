"""Request ids and the structured request log."""

import json
import logging

import pytest

from cms.logging_json import JsonFormatter

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [r for r in caplog.records if r.name == "cms.requests"]


def test_every_response_carries_a_new_request_id(client, home_page):
    first, second = client.get("/"), client.get("/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_valid_incoming_request_id_is_kept_and_a_bad_one_replaced(client, home_page):
    kept = client.get("/", HTTP_X_REQUEST_ID="edge-7f3a2c91-lb1")
    replaced = client.get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert kept["X-Request-ID"] == "edge-7f3a2c91-lb1"
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_one_structured_line_per_request(client, home_page, caplog):
    caplog.set_level(logging.INFO, logger="cms.requests")
    response = client.get("/?page=1")

    (record,) = request_records(caplog)
    assert record.method == "GET"
    assert record.path == "/"  # the query string is never logged
    assert record.status == 200
    assert record.duration_ms >= 0
    assert record.user_id is None
    assert record.request_id == response["X-Request-ID"]
    assert record.cache == response["X-Wagtail-Cache"]


def test_the_user_is_logged_by_id_only(client, superuser, caplog):
    caplog.set_level(logging.INFO, logger="cms.requests")
    client.force_login(superuser)
    client.get("/admin/")

    (record,) = request_records(caplog)
    line = JsonFormatter().format(record)
    assert record.user_id == superuser.pk
    assert superuser.username not in line
    assert superuser.email not in line
    assert "sessionid" not in line


def test_json_lines_carry_the_request_id_of_every_record(client, home_page, caplog):
    caplog.set_level(logging.INFO, logger="cms.requests")
    response = client.get("/")
    parsed = json.loads(JsonFormatter().format(request_records(caplog)[0]))
    assert parsed["request_id"] == response["X-Request-ID"]
    assert parsed["status"] == 200 and parsed["logger"] == "cms.requests"


def test_an_exception_is_logged_once_with_traceback_and_request_id(
    client, home_page, caplog, monkeypatch
):
    from home.models import HomePage

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(HomePage, "get_context", broken)
    client.raise_request_exception = False
    caplog.set_level(logging.INFO)

    response = client.get("/")

    assert response.status_code == 500
    errors = [r for r in caplog.records if r.exc_info]
    assert len(errors) == 1
    assert errors[0].request_id == response["X-Request-ID"]
    assert "RuntimeError" in JsonFormatter().format(errors[0])


def test_password_reset_tokens_are_masked():
    from django.test import RequestFactory

    from cms.middleware.request_logging import RequestLoggingMiddleware

    request = RequestFactory().get("/admin/password_reset/confirm/MQ/c5x-abc123/")
    assert RequestLoggingMiddleware.safe_path(request) == (
        "/admin/password_reset/confirm/***/***/"
    )


def console_handler() -> logging.Handler:
    """The handler LOGGING configures (pytest's caplog sits beside it)."""
    (handler,) = [
        h for h in logging.getLogger("django").handlers if h.name == "console"
    ]
    return handler


def test_a_forged_line_in_the_path_stays_on_its_own_line(client, home_page, caplog):
    caplog.set_level(logging.INFO, logger="cms.requests")
    client.get("/nowhere%0a2026-01-01 ERROR cms.requests [x] GET /admin/ 200%1b[31m")

    (record,) = request_records(caplog)
    line = console_handler().format(record)
    assert "\n" not in line and "\x1b" not in line
    assert "/nowhere\\n2026-01-01 ERROR" in line
    assert "\\x1b[31m" in line


def test_a_traceback_keeps_its_lines_after_an_escaped_message(caplog):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("cms.requests").exception("failed on /a\nb")
    (record,) = request_records(caplog)
    message, _, traceback = console_handler().format(record).partition("\n")
    assert message.endswith("failed on /a\\nb")
    assert traceback.startswith("Traceback") and "RuntimeError: boom" in traceback


def test_a_404_is_one_info_line_without_traceback(client, article_index, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/articles/author/nobody-at-all/")  # raises Http404
    assert response.status_code == 404
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    (record,) = request_records(caplog)
    assert (record.levelno, record.status, record.exc_info) == (logging.INFO, 404, None)


def test_a_forged_host_is_a_warning_without_traceback(client, home_page, caplog):
    caplog.set_level(logging.INFO)
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400
    (notice,) = [r for r in caplog.records if r.name.startswith("django.security")]
    assert console_handler().filter(notice)
    assert (notice.levelname, notice.exc_info) == ("WARNING", None)
    assert "Traceback" not in console_handler().format(notice)

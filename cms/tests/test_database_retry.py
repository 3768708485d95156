"""A read whose database connection dies mid-request is retried once.

The whole effect (0 errors through a PostgreSQL restart) is measured by
bench/loadtest.py; these tests pin down the decision rules.
"""

from types import SimpleNamespace

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from cms.middleware import database_retry
from cms.middleware.database_retry import DatabaseRetryMiddleware

LOST = OperationalError("terminating connection due to administrator command")


@pytest.fixture
def fake_connection(monkeypatch):
    fake = SimpleNamespace(in_atomic_block=False, closed=0)
    fake.close = lambda: setattr(fake, "closed", fake.closed + 1)
    monkeypatch.setattr(database_retry, "connection", fake)
    return fake


def request_to(method: str, view):
    request = getattr(RequestFactory(), method)("/articles/")
    request.resolver_match = SimpleNamespace(func=view, args=(), kwargs={})
    return request


def test_a_get_is_rerun_once_on_a_fresh_connection(fake_connection):
    calls = []
    request = request_to("get", lambda request: calls.append(1) or "rendered")
    middleware = DatabaseRetryMiddleware(lambda request: None)

    assert middleware.process_exception(request, LOST) == "rendered"
    assert calls == [1] and fake_connection.closed == 1
    # A second failure of the same request is not retried again (503 follows).
    assert middleware.process_exception(request, LOST) is None


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writes_are_never_rerun(fake_connection, method):
    request = request_to(method, lambda request: "rendered")
    assert DatabaseRetryMiddleware(None).process_exception(request, LOST) is None


def test_nothing_is_rerun_inside_a_transaction(fake_connection):
    fake_connection.in_atomic_block = True
    request = request_to("get", lambda request: "rendered")
    assert DatabaseRetryMiddleware(None).process_exception(request, LOST) is None


def test_other_errors_are_not_retried(fake_connection):
    request = request_to("get", lambda request: "rendered")
    assert DatabaseRetryMiddleware(None).process_exception(request, KeyError()) is None

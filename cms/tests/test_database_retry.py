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


class FakeCursor:
    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        self.connection.attempts += 1
        if self.connection.down_for > 0:
            self.connection.down_for -= 1
            raise OperationalError("the database system is shutting down")
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql):
        self.connection.executed.append(sql)


@pytest.fixture
def fake_connection(monkeypatch):
    """A connection whose next `down_for` connection attempts fail."""
    fake = SimpleNamespace(
        in_atomic_block=False, closed=0, attempts=0, down_for=0, executed=[]
    )
    fake.close = lambda: setattr(fake, "closed", fake.closed + 1)
    fake.cursor = lambda: FakeCursor(fake)
    monkeypatch.setattr(database_retry, "connection", fake)
    monkeypatch.setattr(database_retry.time, "sleep", lambda seconds: None)
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


def test_the_retry_waits_until_the_database_answers_again(fake_connection):
    """While PostgreSQL is still restarting, retrying at once would fail again."""
    fake_connection.down_for = 4
    calls = []
    request = request_to("get", lambda request: calls.append(1) or "rendered")

    assert DatabaseRetryMiddleware(None).process_exception(request, LOST) == "rendered"
    assert fake_connection.attempts == 5  # four refused, the fifth answered
    assert fake_connection.executed == ["SELECT 1"]
    assert calls == [1]


def test_the_wait_is_bounded(fake_connection, settings, monkeypatch):
    settings.DATABASE_RETRY_WAIT = 0.5
    clock = iter(range(100))  # each look at the clock: one second later
    monkeypatch.setattr(database_retry.time, "monotonic", lambda: next(clock))
    fake_connection.down_for = 50
    request = request_to("get", lambda request: "rendered")

    # The view is still re-run (and fails again, as a 503) once the wait is over.
    assert DatabaseRetryMiddleware(None).process_exception(request, LOST) == "rendered"
    assert fake_connection.attempts == 1


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writes_are_not_rerun_unless_declared_safe(fake_connection, method):
    request = request_to(method, lambda request: "rendered")
    assert DatabaseRetryMiddleware(None).process_exception(request, LOST) is None


def test_nothing_is_rerun_inside_a_transaction(fake_connection):
    fake_connection.in_atomic_block = True
    request = request_to("get", lambda request: "rendered")
    assert DatabaseRetryMiddleware(None).process_exception(request, LOST) is None


def test_other_errors_are_not_retried(fake_connection):
    request = request_to("get", lambda request: "rendered")
    assert DatabaseRetryMiddleware(None).process_exception(request, KeyError()) is None


def test_a_write_declared_idempotent_is_rerun_when_its_condition_holds(
    fake_connection,
):
    @database_retry.retry_safe(when=lambda request: "key" in request.POST)
    def view(request):
        return "stored"

    with_key = RequestFactory().post("/comments/", {"key": "k1"})
    with_key.resolver_match = SimpleNamespace(func=view, args=(), kwargs={})
    without_key = RequestFactory().post("/comments/", {"body": "x"})
    without_key.resolver_match = SimpleNamespace(func=view, args=(), kwargs={})

    assert DatabaseRetryMiddleware(None).process_exception(with_key, LOST) == "stored"
    assert DatabaseRetryMiddleware(None).process_exception(without_key, LOST) is None


def test_comment_and_rating_views_are_declared_retry_safe():
    from django.urls import resolve

    comment = resolve("/reader/pages/1/comments/").func
    assert comment.database_retry_safe(
        RequestFactory().post("/", {"submission_key": "k"})
    )
    assert not comment.database_retry_safe(RequestFactory().post("/", {"body": "x"}))
    assert resolve("/reader/pages/1/rating/").func.database_retry_safe(None)


def test_a_view_beacon_is_declared_retry_safe():
    """The load test saw a beacon's one read (does the page take views?) die with
    a PostgreSQL restart: a 503, where a re-run counts nothing twice."""
    from django.urls import resolve

    assert resolve("/reader/pages/1/view/").func.database_retry_safe(None)

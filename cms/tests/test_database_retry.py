"""A read whose database connection dies mid-request is retried once."""

import pytest
from django.db import OperationalError

# Real transactions: inside a test's wrapping transaction the retry (rightly) never
# happens, since a broken transaction cannot be re-run.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_get_is_retried_once_after_a_lost_connection(client, home_page, monkeypatch):
    from home.models import HomePage

    original = HomePage.get_context
    calls = []

    def flaky(self, request, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError(
                "terminating connection due to administrator command"
            )
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(HomePage, "get_context", flaky)
    response = client.get("/")

    assert response.status_code == 200
    assert len(calls) == 2


def test_a_second_failure_is_a_503(client, home_page, monkeypatch):
    from home.models import HomePage

    def down(self, request, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(HomePage, "get_context", down)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503

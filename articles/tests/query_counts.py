"""Counting the queries a request costs, for budgets that must not grow."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str, params: dict | None = None) -> int:
    """Queries of a repeated GET: the first warms renditions and caches."""
    assert client.get(url, params or {}).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured.captured_queries)

"""Schedulers on several machines: a pass runs only while it holds PostgreSQL's
advisory lock, so two schedulers never publish the same revision twice. (The
end-to-end run with two scheduler processes: test_edge_multinode.py.)"""

import datetime
import time

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.factories import ArticlePageFactory
from cms.scheduler_lock import SCHEDULER_LOCK_ID, scheduler_lock

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="advisory locks are PostgreSQL's: the suite on DATABASE_URL runs it",
    ),
]


@pytest.fixture
def other_machine():
    """A second database session, as another machine's scheduler would have."""
    session = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    yield session
    session.close()


@pytest.fixture
def due(article_index):
    page = ArticlePageFactory(parent=article_index, live=False, published_at=None)
    page.go_live_at = timezone.now() + datetime.timedelta(seconds=1.5)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live  # scheduled, waiting for a scheduler pass
    time.sleep(1.6)  # and its moment has come
    return page


def test_a_pass_is_skipped_while_another_scheduler_holds_the_lock(other_machine, due):
    other_machine.execute("SELECT pg_advisory_lock(%s)", [SCHEDULER_LOCK_ID])
    call_command("run_scheduler", "--once")
    due.refresh_from_db()
    assert not due.live

    other_machine.execute("SELECT pg_advisory_unlock(%s)", [SCHEDULER_LOCK_ID])
    call_command("run_scheduler", "--once")
    due.refresh_from_db()
    assert due.live


def test_the_lock_is_released_after_each_pass(other_machine, due):
    call_command("run_scheduler", "--once")
    taken = other_machine.execute(
        "SELECT pg_try_advisory_lock(%s)", [SCHEDULER_LOCK_ID]
    ).fetchone()[0]
    assert taken
    with scheduler_lock() as acquired:
        assert not acquired  # held by the other session now

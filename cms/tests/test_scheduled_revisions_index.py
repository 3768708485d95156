"""The index of scheduled revisions (cms/migrations/0003) is there and is what a
query for the schedule uses."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import Revision

pytestmark = pytest.mark.django_db

INDEX = "cms_revision_scheduled_idx"


def test_the_index_exists_on_wagtails_revision_table():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, "wagtailcore_revision"
        )
    assert constraints[INDEX]["columns"] == ["approved_go_live_at"]
    assert constraints[INDEX]["index"]


def test_the_schedule_is_read_through_it():
    now = timezone.now()
    scheduled = Revision.objects.filter(
        approved_go_live_at__gte=now,
        approved_go_live_at__lt=now + datetime.timedelta(days=7),
    ).order_by("approved_go_live_at")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # With few rows the planner would rather scan: ask it not to, as it
            # will not want to once the table has grown.
            cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = scheduled.query.sql_with_params()
        explain = (
            "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        )
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert INDEX in plan

"""One scheduler pass at a time across every machine sharing the database.

On PostgreSQL a session-level advisory lock, taken without waiting: a scheduler
that finds it held skips its pass (another one is doing the work) rather than
queueing behind it. The lock goes with the connection, so a scheduler that dies
mid-pass never leaves it held. SQLite is one machine's database: the embedded
default runs one scheduler, and its passes are not locked.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# An arbitrary constant naming this lock among the database's advisory locks.
SCHEDULER_LOCK_ID = 0x5072_6573_7357  # "PresW"


@contextmanager
def scheduler_lock() -> Iterator[bool]:
    """Yields whether this process may run a pass now."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SCHEDULER_LOCK_ID])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SCHEDULER_LOCK_ID])

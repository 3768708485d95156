"""One page creation at a time under each parent.

Two editors adding pages under the same parent at the same moment race inside
Wagtail: both pass the sibling slug check, and treebeard hands both the same tree
path (a unique column), so one of them gets a 500. Measured: 8 concurrent creations
of one slug through gunicorn gave two 500s (articles/tests/test_concurrent_creation).

The create view runs in one transaction that first takes a lock on the parent: on
PostgreSQL an advisory transaction lock (held until commit, across workers); on
SQLite the IMMEDIATE transaction mode (cms/settings/base.py) already takes the
database's write lock at BEGIN. The second editor's form is then validated against
the first one's page and comes back with the uniqueness error.
"""

from django.db import connection, transaction

LOCK_NAMESPACE = 4242  # pg_advisory_xact_lock(namespace, parent id)
INSIDE = "_page_creation_serialised"


def create_under_parent_lock(request, parent_page, view, *args, **kwargs):
    """Run the create `view` for `request` holding the lock on `parent_page`."""
    setattr(request, INSIDE, True)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [LOCK_NAMESPACE, parent_page.pk],
                )
        return view(request, *args, **kwargs)


def is_serialised(request) -> bool:
    return getattr(request, INSIDE, False)

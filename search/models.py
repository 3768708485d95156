"""The stemmed full-text table the embedded default searches (search/backend.py).

Unmanaged: the table is an SQLite FTS5 virtual table, created by this app's
migration on SQLite only and kept in step with Wagtail's index entries by
triggers. On PostgreSQL it does not exist and is never queried.
"""

from django.db import models


class StemmedIndexEntry(models.Model):
    # FTS5 rows are keyed by rowid, which is the index entry's id.
    index_entry = models.OneToOneField(
        "wagtailsearch.IndexEntry",
        primary_key=True,
        db_column="rowid",
        # The SQLite trigger deletes the row; on PostgreSQL there is no table
        # for a cascade to query.
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    title = models.TextField()
    body = models.TextField(null=True)  # noqa: DJ001 - as Wagtail's own column

    class Meta:
        managed = False
        db_table = "search_stemmed_fts"

    def __str__(self) -> str:
        return self.title

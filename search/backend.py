"""Wagtail's database search backend, stemming on SQLite as it does on PostgreSQL.

On PostgreSQL, search() matches stemmed words ("rivers" finds "river", "train"
finds "trains") and autocomplete matches the last word by prefix, unstemmed. On
SQLite Wagtail's FTS5 table does not stem, so search() missed plural and singular
forms. This backend keeps everything Wagtail does on SQLite but points search() at
`search_stemmed_fts`, the same index entries tokenized with FTS5's porter stemmer
(search/migrations/0001_stemmed_search_index.py). Autocomplete stays on Wagtail's
unstemmed table, by prefix, as on PostgreSQL. On PostgreSQL it is Wagtail's
backend ranking only the newest matches (search/postgres_backend.py: a common word
ranked every article). Any other database, or SQLite without FTS5, gets Wagtail's
choice unchanged.

Selected by WAGTAILSEARCH_BACKENDS (cms/settings/base.py).
"""

from modelsearch.backends.database import SearchBackend as database_backend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a module
    backend = database_backend(params)
    if backend.__class__.__name__ == "PostgresSearchBackend":
        from .postgres_backend import BoundedPostgresSearchBackend

        return BoundedPostgresSearchBackend(params)
    if backend.__class__.__name__ != "SQLiteSearchBackend":
        return backend  # SQLite without FTS5, or another database: Wagtail's choice
    # Imported here, as modelsearch's own factory does: the SQLite modules exist
    # only on SQLite (see search/sqlite_backend.py).
    from .sqlite_backend import StemmingSQLiteSearchBackend

    return StemmingSQLiteSearchBackend(params)

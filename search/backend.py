"""Lentera's search backend: Wagtail's database backend, with SQLite's full-text index stemmed the
way PostgreSQL's is, so "melayani" finds "Pelayanan Publik" on both databases.

PostgreSQL gets Wagtail's backend unchanged: it stems with its `SEARCH_CONFIG` text search
configuration ("indonesian"). SQLite with FTS5 gets `search.sqlite_backend`, which stems with the
Snowball stemmer of the same name in Python. Changing `SEARCH_CONFIG` (`LENTERA_SEARCH_CONFIG`)
needs `manage.py update_index`.
"""

from django.db import connection
from modelsearch.backends import database


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks for in a backend module
    """Wagtail's choice of database backend (PostgreSQL's full-text search, FTS5 on SQLite when
    it is there, or the plain fallback), with the stemmed backend in place of FTS5's."""
    backend = database.SearchBackend(params)
    if connection.vendor != "sqlite":
        return backend
    # Imported here: the SQLite backend's models exist only on SQLite.
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    from search.sqlite_backend import StemmedSQLiteSearchBackend

    if isinstance(backend, SQLiteSearchBackend):
        return StemmedSQLiteSearchBackend(params)
    return backend

"""The migrated SQLite test database, kept between runs while nothing it depends on changes.

Migrating the test database from nothing costs about 30 s of CPU (Django renders the model
state again after each of the ~280 migrations' operations, Wagtail's page model relating to
nearly everything), and every xdist worker pays it. On SQLite the first run keeps a file copy
of the migrated database; later runs load that copy into their in-memory test database instead
of migrating, as long as its key still matches: the Python, Django and Wagtail versions, the
text of every migration the loader finds (the project's and the installed packages') and of
every Python module of the project outside tests (data migrations import the apps' code).
Anything else migrates as usual and stores a new copy (the latest few are kept).

The copies live in LENTERA_TEST_DB_CACHE (default ~/.cache/lentera-tests);
LENTERA_TEST_DB_CACHE=off turns this off. PostgreSQL always migrates. The migration checks
(tests/migration_checks) still take the migrations backwards and forwards for real.
"""

import contextlib
import hashlib
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.management.commands import migrate as migrate_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader

# Folders of the project whose modules no migration imports.
KEPT_COPIES = 4
_NOT_IMPORTED = {".venv", "tests", "node_modules", "media", "static", "staticfiles", "frontend"}


def cache_folder() -> Path | None:
    configured = os.environ.get("LENTERA_TEST_DB_CACHE", "")
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lentera-tests"


def cache_key(alias: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{sys.version} {django.get_version()} {wagtail.__version__}\n".encode())
    digest.update(f"{settings.SETTINGS_MODULE} {settings.DATABASES[alias]['ENGINE']}\n".encode())
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    files = {Path(module.__file__) for module in _modules(loader)}
    base = Path(settings.BASE_DIR)
    for folder, subfolders, names in os.walk(base):
        subfolders[:] = sorted(name for name in subfolders if name not in _NOT_IMPORTED)
        files.update(Path(folder) / name for name in names if name.endswith(".py"))
    for path in sorted(files):
        digest.update(f"{path}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _modules(loader: MigrationLoader):
    for migration in loader.disk_migrations.values():
        module = sys.modules.get(type(migration).__module__)
        if module is not None and getattr(module, "__file__", None):
            yield module


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


@contextlib.contextmanager
def migrations_from_cache():
    """While the test databases are set up: `migrate` on an in-memory SQLite test database
    loads the cached copy when its key matches, and otherwise migrates and stores a copy."""
    folder = cache_folder()
    original = migrate_command.Command.handle

    def handle(self, *args, database, **options):
        connection = connections[database]
        if folder is None or connection.vendor != "sqlite" or not connection.is_in_memory_db():
            return original(self, *args, database=database, **options)
        path = folder / f"migrated-{cache_key(database)}.sqlite3"
        connection.ensure_connection()
        try:
            # Read-only: a file removed meanwhile raises rather than opening an empty database.
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as copy:
                copy.backup(connection.connection)
            return None
        except sqlite3.Error:
            pass
        result = original(self, *args, database=database, **options)
        folder.mkdir(parents=True, exist_ok=True)
        # Keep the few latest copies (other checkouts, other branches), drop older ones.
        copies = sorted(folder.glob("migrated-*.sqlite3"), key=_modified, reverse=True)
        for stale in copies[KEPT_COPIES - 1 :]:
            stale.unlink(missing_ok=True)
        handle_, temporary = tempfile.mkstemp(dir=folder, suffix=".partial")
        os.close(handle_)
        with contextlib.closing(sqlite3.connect(temporary)) as copy:
            connection.connection.backup(copy)
        os.replace(temporary, path)
        return result

    migrate_command.Command.handle = handle
    try:
        yield
    finally:
        migrate_command.Command.handle = original

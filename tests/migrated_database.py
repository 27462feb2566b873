"""The migrated SQLite test database, kept between runs while nothing it depends on changes.

Migrating the test database from nothing costs about 30 s of CPU (Django renders the model
state again after each of the ~280 migrations' operations, Wagtail's page model relating to
nearly everything), and every xdist worker pays it. On SQLite the first run keeps a file copy
of the migrated database; later runs load that copy into their in-memory test database instead
of migrating, as long as its key still matches: the Python, Django and Wagtail versions, the
text of every migration the loader finds (the project's and the installed packages'), of the
settings and of every module of the project the migrations import, directly or through each
other (model modules, custom operations): editing a view, a service or a test keeps the copy.
Anything else migrates as usual and stores a new copy (the latest few are kept).

The copies live in LENTERA_TEST_DB_CACHE (default ~/.cache/lentera-tests);
LENTERA_TEST_DB_CACHE=off turns this off. PostgreSQL always migrates. The migration checks
(tests/migration_checks) still take the migrations backwards and forwards for real.
"""

import ast
import contextlib
import hashlib
import importlib.util
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
    base = Path(settings.BASE_DIR)
    migrations = {Path(module.__file__) for module in _modules(loader)}
    # Settings decide what some migrations write (Wagtail's first locale, for one).
    settings_files = set((base / "site" / "settings").glob("*.py"))
    files = migrations | settings_files | _project_modules_imported_by(migrations, base)
    for path in sorted(files):
        digest.update(f"{path}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _project_modules_imported_by(starts: set[Path], base: Path) -> set[Path]:
    """The project's modules the migrations import, directly or through each other (a model
    module's default callables, a custom operation), read from their import statements, in
    functions too. Views, services and tests stay out, so editing them keeps the copy."""
    found: set[Path] = set()
    todo = [path for path in starts if _in_project(path, base)]
    while todo:
        path = todo.pop()
        for name in _imported_names(path, base):
            origin = _origin(name)
            if origin is not None and origin not in found and _in_project(origin, base):
                found.add(origin)
                todo.append(origin)
    return found


def _in_project(path: Path, base: Path) -> bool:
    return path.is_relative_to(base) and not set(path.relative_to(base).parts) & _NOT_IMPORTED


def _imported_names(path: Path, base: Path):
    package = ".".join(path.relative_to(base).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    elif package.endswith(".__init__"):
        package = package.removesuffix(".__init__")
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            with contextlib.suppress(ImportError, ValueError):
                module = importlib.util.resolve_name(module, package) if node.level else module
                yield module
                yield from (f"{module}.{alias.name}" for alias in node.names)


def _origin(name: str) -> Path | None:
    # `site/` is imported as `lentera`; `find_spec` of a name that is an attribute, not a
    # module, raises or returns None.
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError, AttributeError):
        return None
    return Path(spec.origin) if spec is not None and spec.origin else None


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

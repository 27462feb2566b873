"""Whole-site backups: the database, public media and private media (certificate PDFs) in one
.tar.gz with a manifest of checksums and row counts, and their restore into a fresh database.

Used by `manage.py lentera_backup` and `manage.py lentera_restore`. SQLite is copied with its
online backup API (consistent while the site runs, WAL included); PostgreSQL with
`pg_dump --format=custom` and `pg_restore`, whose client binaries must be on the PATH.
"""

import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore with fixed arguments, no shell
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
#: Wagtail's tables that hold the site's content; the project's own tables are found in the app
#: registry (`counted_models`), so a new app's tables are counted without a change here.
WAGTAIL_CONTENT_MODELS = [
    "wagtailcore.Page",
    "wagtailcore.Revision",
    "wagtailimages.Image",
    "wagtaildocs.Document",
]


def counted_models() -> list[str]:
    """The tables whose row counts the manifest records and the restore compares: every
    concrete model of Lentera's own apps (those inside the repository, not installed packages),
    then Wagtail's content."""
    root = Path(settings.BASE_DIR).resolve()
    project = [
        model._meta.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
        and "site-packages" not in Path(config.path).parts
        for model in config.get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    return project + WAGTAIL_CONTENT_MODELS


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class RestoreResult:
    manifest: dict
    #: label -> (count in the manifest, count in the restored database)
    counts: dict[str, tuple[int, int | None]] = field(default_factory=dict)

    @property
    def mismatches(self) -> list[str]:
        return [label for label, (expected, found) in self.counts.items() if expected != found]


def _version() -> str:
    try:
        return importlib.metadata.version("lentera")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private-media": Path(settings.PRIVATE_MEDIA_ROOT)}


def row_counts(alias: str = "default") -> dict[str, int | None]:
    """Rows per counted table (None for a table the database does not have)."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for label in counted_models():
            table = apps.get_model(label)._meta.db_table
            if table not in tables:
                counts[label] = None
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[label] = cursor.fetchone()[0]
    return counts


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], *, env: dict[str, str]) -> None:
    if not shutil.which(command[0]):
        raise BackupError(
            _("%(program)s was not found: install the PostgreSQL client programs.")
            % {"program": command[0]}
        )
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": finished.stderr.strip()}
        )


def _dump_database(alias: str, target: Path) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The live connection's own handle: works for a file (WAL included) or in memory.
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif connection.vendor == "postgresql":
        settings_dict = connection.settings_dict
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={target}",
                f"--dbname={settings_dict['NAME']}",
            ],
            env=_pg_env(settings_dict),
        )
    else:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )


def backup_create(*, output_dir: Path, alias: str = "default") -> Path:
    """Write lentera-backup-<timestamp>.tar.gz into `output_dir` and return its path."""
    connection = connections[alias]
    # The archive holds every NIP and password hash: only its owner may read it, whatever the
    # umask. The folder too, when created here (an existing one keeps the mode it was given).
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    created_at = timezone.now()
    stamp = timezone.localtime(created_at).strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"lentera-backup-{stamp}.tar.gz"
    if archive.exists():
        raise BackupError(_("%(path)s already exists.") % {"path": archive})
    # The working copies (database dump, manifest) sit in a folder only the owner can enter.
    with tempfile.TemporaryDirectory(prefix="lentera-backup-") as work:
        database = Path(work) / DATABASE_MEMBERS.get(connection.vendor, "database")
        _dump_database(alias, database)
        members = {database.name: database}
        for prefix, root in _media_roots().items():
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        members[f"{prefix}/{path.relative_to(root).as_posix()}"] = path
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "lentera_version": _version(),
            "database_vendor": connection.vendor,
            "database_member": database.name,
            "row_counts": row_counts(alias),
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = archive.with_suffix(".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as handle,
                tarfile.open(fileobj=handle, mode="w:gz") as tar,
            ):
                tar.add(manifest_path, arcname=MANIFEST)
                for name, path in members.items():
                    tar.add(path, arcname=name)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.rename(archive)
    return archive


def _read_archive(archive: Path, work: Path) -> dict:
    if not archive.is_file():
        raise BackupError(_("The backup file %(path)s does not exist.") % {"path": archive})
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", links out and device files.
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(
            _("%(path)s is not a readable Lentera backup: %(error)s")
            % {"path": archive, "error": error}
        ) from error
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            _("%(path)s has no valid manifest.json: it is not a Lentera backup.")
            % {"path": archive}
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup's format (%(format)s) is not supported.")
            % {"format": manifest.get("format")}
        )
    listed = manifest.get("files", {})
    present = {path.relative_to(work).as_posix() for path in work.rglob("*") if path.is_file()}
    present.discard(MANIFEST)
    for name in sorted(set(listed) | present):
        if name not in listed:
            raise BackupError(
                _("%(name)s is in the backup but not in its manifest.") % {"name": name}
            )
        if name not in present:
            raise BackupError(_("%(name)s is missing from the backup.") % {"name": name})
        if _sha256(work / name) != listed[name]:
            raise BackupError(
                _("Checksum mismatch for %(name)s: the backup is damaged or was altered.")
                % {"name": name}
            )
    return manifest


def database_is_empty(alias: str = "default") -> bool:
    """No people and no content beyond what the migrations create (Wagtail's root pages)."""
    counts = row_counts(alias)
    return not counts[settings.AUTH_USER_MODEL] and (counts["wagtailcore.Page"] or 0) <= 2


def _restore_database(alias: str, source: Path) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
        connection.close()
    else:
        settings_dict = connection.settings_dict
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={settings_dict['NAME']}",
                str(source),
            ],
            env=_pg_env(settings_dict),
        )


def _restore_media(work: Path) -> None:
    for prefix, root in _media_roots().items():
        source = work / prefix
        if source.is_dir():
            root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, root, dirs_exist_ok=True)


def backup_restore(*, archive: Path, force: bool = False, alias: str = "default") -> RestoreResult:
    """Check `archive`, then restore its database and media over the configured ones."""
    connection = connections[alias]
    with tempfile.TemporaryDirectory(prefix="lentera-restore-") as work:
        manifest = _read_archive(archive, Path(work))
        vendor = manifest.get("database_vendor")
        if vendor != connection.vendor:
            raise BackupError(
                _(
                    "This backup is of a %(backup)s database; the configured database is "
                    "%(configured)s. Restore it into a %(backup)s database."
                )
                % {"backup": vendor, "configured": connection.vendor}
            )
        if not force and not database_is_empty(alias):
            raise BackupError(
                _(
                    "The configured database already has data. Restore into a new, empty "
                    "database, or use --force to replace everything in it."
                )
            )
        _restore_database(alias, Path(work) / manifest["database_member"])
        _restore_media(Path(work))
    found = row_counts(alias)
    return RestoreResult(
        manifest=manifest,
        counts={
            label: (expected, found.get(label))
            for label, expected in manifest["row_counts"].items()
        },
    )

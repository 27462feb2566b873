"""Where a package's files are stored: `package_storage()` (the private storage, never served
under MEDIA_URL), under `packages/<uuid>/`.

A package's uuid never changes and its files are never rewritten (`Package` is immutable), so
the package origin serves them as immutable. Extraction writes every file before the package's
row is committed; `package_files_delete` removes what was written when anything fails, so no
half-stored package is left behind (see `packages.imports.package_import`).
"""

import contextlib
import logging
import posixpath
import tempfile
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import File
from django.utils.translation import gettext_lazy as _

from packages.models import package_storage
from packages.validation import CheckedArchive, _shown, entry_chunks

ROOT = "packages"

logger = logging.getLogger(__name__)


def package_folder(uuid) -> str:
    """The storage folder of a package's extracted files."""
    return f"{ROOT}/{uuid}"


def package_file_path(package, relative_path: str) -> str:
    """The storage name of one file of a package (`relative_path` as in the zip)."""
    normalized = posixpath.normpath(relative_path)
    if normalized.startswith(("../", "/")) or normalized in ("..", "."):
        raise ValueError(f"Not a path inside the package: {relative_path!r}")
    return f"{package_folder(package.uuid)}/{normalized}"


# Members up to this size are buffered in memory on their way to storage, larger ones on disk.
SPOOL_BYTES = 8 * 1024 * 1024


def package_files_extract(package, checked: CheckedArchive) -> list[dict]:
    """Writes every member of the checked archive to storage under the package's folder and
    returns [{"path", "bytes"}] in extraction order (the offline manifest lists them).

    A member whose content breaks a limit, or that the storage cannot write (a name the disk
    refuses, a file where a folder should be, a full disk), raises `ValidationError` part-way,
    naming the member: the caller deletes the folder (`package_files_delete`). Names are saved
    as they are: storages that rename existing files (`get_available_name`) would break the
    package's links, and the folder is new, so nothing exists there yet.
    """
    storage = package_storage()
    written: list[dict] = []
    for name, info in checked.members.items():
        storage_name = package_file_path(package, name)
        try:
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as buffer:
                for chunk in entry_chunks(checked, info):
                    buffer.write(chunk)
                size = buffer.tell()
                buffer.seek(0)
                saved = storage.save(storage_name, File(buffer, name=posixpath.basename(name)))
        except (OSError, SuspiciousFileOperation) as error:
            logger.warning("Package %s: storing %r failed: %r", package.uuid, name, error)
            raise _not_stored_error(name) from error
        if saved != storage_name:
            # The storage renamed it: a file of that name existed. Never serve a renamed copy.
            storage.delete(saved)
            raise _not_stored_error(name)
        written.append({"path": name, "bytes": size})
    return written


def _not_stored_error(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The file %(name)s of the package could not be stored (its name clashes with "
            "another file or the server refused it). Rename it and upload the package again."
        ),
        code="not_stored",
        params={"name": _shown(name)},
    )


def package_files_delete(uuid) -> None:
    """Removes a package's folder from storage, with every file and subfolder in it."""
    _folder_delete(package_folder(uuid))


def _folder_delete(folder: str) -> None:
    """Deletes the folder's files, then its (emptied) folders deepest first; iterative, as a
    package's folders may nest hundreds deep (a path may have 1024 bytes)."""
    storage = package_storage()
    pending = [folder]
    folders = []
    while pending:
        current = pending.pop()
        try:
            directories, files = storage.listdir(current)
        except (FileNotFoundError, NotADirectoryError):
            continue
        folders.append(current)
        for name in files:
            storage.delete(f"{current}/{name}")
        pending.extend(f"{current}/{name}" for name in directories)
    # File-system storage keeps empty folders; others have none to remove.
    for current in reversed(folders):
        path = _local_path(current)
        if path:
            with contextlib.suppress(OSError):
                path.rmdir()


def _local_path(name: str) -> Path | None:
    try:
        return Path(package_storage().path(name))
    except NotImplementedError:
        return None

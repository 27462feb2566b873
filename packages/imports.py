"""Importing an uploaded package: check it, read its manifest, store its files, create its row.

One path for the admin's upload form, the demo and the tests. Nothing is stored before the zip
passed every check of `packages.validation` and its manifest parsed; if anything fails while
the files are written or the row is created, what was written is deleted again, so a refused
or failed upload leaves no trace in the storage or the database.

Call it outside any transaction of your own (the admin's upload view does): the files are written
before the row's own short transaction, and Django cannot run a clean-up when an enclosing
transaction rolls back later, which would leave the package's folder behind without a row.
"""

import hashlib
import posixpath
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from packages.manifests import package_parse
from packages.models import Package, package_storage
from packages.storage import package_files_delete, package_files_extract
from packages.validation import Limits, archive_check, archive_open

HASH_CHUNK_BYTES = 1024 * 1024


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    while chunk := uploaded_file.read(HASH_CHUNK_BYTES):
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def _size_check(uploaded_file, limits: Limits) -> None:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limits.max_bytes:
        raise ValidationError(
            _("The file is larger than %(limit)d MB, the most a package may be."),
            code="too_big",
            params={"limit": limits.max_bytes // (1024 * 1024)},
        )


def package_import(
    *, uploaded_file, organization, user, title: str | None = None, limits: Limits | None = None
) -> Package:
    """Check, parse and store an uploaded SCORM zip or .h5p file as a new `Package` of
    `organization`; raises `ValidationError` (with a code and a translated reason naming the
    file at fault) for a package that is refused, storing nothing."""
    limits = limits or Limits.from_settings()
    _size_check(uploaded_file, limits)
    archive = archive_open(uploaded_file)
    with archive:
        checked = archive_check(archive, limits=limits)
        parsed = package_parse(checked)
        sha256 = _sha256(uploaded_file)
        package = Package(
            uuid=uuid.uuid4(),
            title=(title or "").strip()[:255] or parsed.title or _("Untitled package"),
            organization=organization,
            kind=parsed.kind,
            schema_version=parsed.schema_version,
            sha256=sha256,
            manifest=parsed.manifest,
            uploaded_by=user,
        )
        source_name = None
        try:
            files = package_files_extract(package, checked)
            package.manifest = {**parsed.manifest, "files": files, "left_out": checked.left_out}
            package.file_count = len(files)
            package.size = sum(entry["bytes"] for entry in files)
            extension = ".h5p" if parsed.kind == Package.Kind.H5P else ".zip"
            uploaded_file.seek(0)
            package.source_file.save(
                f"{package.uuid}{extension}",
                File(uploaded_file, name=posixpath.basename(f"{package.uuid}{extension}")),
                save=False,
            )
            source_name = package.source_file.name
            with transaction.atomic():
                package.full_clean()
                package.save()
        except BaseException:
            package_files_delete(package.uuid)
            if source_name:
                package_storage().delete(source_name)
            raise
    return package

"""Checks an uploaded package (a SCORM zip or an .h5p file) before anything of it is stored.

A package is someone else's archive: every check here reads only the zip's central directory
(names, sizes, attributes), and `entry_chunks` enforces the same sizes again while a file is
read, because a zip's headers can lie about how much a member unpacks to. Refused, in order:

- not a zip, an encrypted member, more than `LENTERA_PACKAGE_MAX_FILES` members;
- unsafe names: `..` anywhere, absolute paths, drive letters, backslashes, control characters
  (zip-slip: a member written outside the package's folder), and duplicate names;
- names too long to store: a folder or file name over `MAX_NAME_BYTES`, a path over
  `MAX_PATH_BYTES` (UTF-8 bytes, as file systems count them);
- a file whose name is also a folder of another file ("x.html" and "x.html/y.js"): one disk
  cannot hold both;
- symbolic links and other special files (a Unix mode in the member's external attributes);
- file types outside `ALLOWED_EXTENSIONS` (what a browser plays: pages, scripts, styles, data,
  images, fonts, audio, video, captions, PDF);
- more than `LENTERA_PACKAGE_MAX_BYTES` unpacked in all or `LENTERA_PACKAGE_MAX_FILE_BYTES` for
  one file, and a compression ratio above `LENTERA_PACKAGE_MAX_RATIO` (a "zip bomb").

Left out, never extracted (but counted towards the limits), and listed to the editor:
- nested archives (.zip, .h5p, .rar, .7z, .tar, .gz...), Java applets (.jar, .class), Flash
  (.swf) and AICC course descriptions (.au, .crs...): no browser runs them, and an archive is
  never unpacked further, so it cannot be a way round the limits. Leaving them out rather than
  refusing the package lets older content import, such as ADL's SCORM 2004 test packages that
  still carry a Java applet; a package whose *launch* file is one of them is refused by
  `packages.manifests`;
- operating-system litter (`__MACOSX/`, `.DS_Store`, `Thumbs.db`, `desktop.ini`), so packages
  zipped on a Mac are not refused for it.
"""

import posixpath
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_EXTENSIONS = frozenset(
    {
        # Pages, scripts, styles and data.
        "html", "htm", "xhtml", "js", "mjs", "css", "json", "map", "xml", "xsd", "dtd", "ent",
        "xsl", "xslt", "txt", "csv", "md",
        # Images.
        "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp", "cur",
        # Fonts.
        "woff", "woff2", "ttf", "otf", "eot",
        # Audio and video, with their captions.
        "mp3", "mp4", "m4a", "m4v", "webm", "ogg", "oga", "ogv", "wav", "vtt", "srt",
        # Documents to read or download.
        "pdf",
    }
)  # fmt: skip
ARCHIVE_EXTENSIONS = frozenset(
    {"zip", "h5p", "rar", "7z", "tar", "gz", "tgz", "bz2", "xz", "jar", "war", "cab", "z"}
)
# Left out like archives: what browsers no longer run (Java applets, Flash), and AICC's course
# description files, which some tools add beside a SCORM manifest (and which tell
# `packages.manifests` that a package without one is an AICC package).
AICC_EXTENSIONS = frozenset({"au", "crs", "des", "cst", "ort", "pre", "cmp"})
LEFT_OUT_EXTENSIONS = ARCHIVE_EXTENSIONS | AICC_EXTENSIONS | {"class", "swf"}
# Skipped, never extracted: what operating systems add when a folder is zipped.
LITTER_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
LITTER_FOLDERS = ("__MACOSX/",)
# Files smaller than this are not held to the ratio: tiny files compress oddly, and they cannot
# expand to anything dangerous.
RATIO_FLOOR_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024
# "C:", "C:\\" or "C:/" at the start of a member's name: a Windows absolute path.
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NAME_SHOWN = 120
# File systems' limits on a name (one folder or file) and on a whole path, in bytes; the path
# limit leaves room under PATH_MAX for the storage's root and the package's folder.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 1024


@dataclass(frozen=True)
class Limits:
    """The limits an archive is held to (from the settings, smaller in tests)."""

    max_files: int
    max_bytes: int
    max_file_bytes: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_files=settings.LENTERA_PACKAGE_MAX_FILES,
            max_bytes=settings.LENTERA_PACKAGE_MAX_BYTES,
            max_file_bytes=settings.LENTERA_PACKAGE_MAX_FILE_BYTES,
            max_ratio=settings.LENTERA_PACKAGE_MAX_RATIO,
        )


@dataclass(frozen=True)
class CheckedArchive:
    """A zip that passed every check: its members to extract, by their safe relative names."""

    archive: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]
    total_bytes: int
    limits: Limits
    # Nested archives, Java applets and Flash: not extracted (see the module docstring).
    left_out: list[str]

    def has(self, name: str) -> bool:
        return name in self.members

    def read(self, name: str) -> bytes:
        """One member's content, with the sizes enforced while reading."""
        return b"".join(entry_chunks(self, self.members[name]))


def _shown(name: str) -> str:
    """A member's name as quoted in a message: printable and not too long."""
    printable = _CONTROL.sub("?", name)
    if len(printable) > _NAME_SHOWN:
        return "…" + printable[-_NAME_SHOWN:]
    return printable


def _extension(name: str) -> str:
    base = posixpath.basename(name)
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def _is_litter(name: str) -> bool:
    return name.startswith(LITTER_FOLDERS) or posixpath.basename(name).lower() in LITTER_NAMES


def _format_bytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} B"


def unsafe_name_reason(name: str) -> str | None:
    """Why a member's name could write outside the package's folder, or None if it is safe."""
    if not name or _CONTROL.search(name):
        return "control"
    if "\\" in name:
        return "backslash"
    if name.startswith("/"):
        return "absolute"
    if _DRIVE.match(name):
        return "drive"
    parts = name.rstrip("/").split("/")
    if any(part in ("..", ".", "") for part in parts):
        return "parent"
    return None


def _unsafe_name_error(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The package contains a file with an unsafe path: %(name)s. File names must be "
            "relative to the package, without “..”, drive letters or backslashes."
        ),
        code="unsafe_path",
        params={"name": _shown(name)},
    )


def _name_length_error(name: str) -> ValidationError | None:
    """A refusal for a name a file system cannot store, or None."""
    parts = name.rstrip("/").split("/")
    if len(name.encode("utf-8")) <= MAX_PATH_BYTES and all(
        len(part.encode("utf-8")) <= MAX_NAME_BYTES for part in parts
    ):
        return None
    return ValidationError(
        _(
            "The name of the file %(name)s in the package is too long: a folder or file name "
            "may have at most %(name_limit)d bytes and a whole path at most %(path_limit)d."
        ),
        code="name_too_long",
        params={"name": _shown(name), "name_limit": MAX_NAME_BYTES, "path_limit": MAX_PATH_BYTES},
    )


def _folder_conflict_check(names) -> None:
    """Refuses a file whose name is also a folder of another file ("x.html" and "x.html/y.js"),
    compared as `archive_check` compares duplicates (case-insensitively)."""
    files = {name.casefold(): name for name in names}
    for name in names:
        folder = name
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            clashing = files.get(folder.casefold())
            if clashing is not None:
                raise ValidationError(
                    _(
                        "The package contains the file %(file)s and also %(name)s, which uses "
                        "that file's name as a folder; a disk cannot hold both. Rename one of them."
                    ),
                    code="file_folder_conflict",
                    params={"file": _shown(clashing), "name": _shown(name)},
                )


def _member_kind(info: zipfile.ZipInfo) -> str:
    """ "dir", "file", "symlink" or "special", from the Unix mode a Unix zip tool stores.

    Only the mode's file-type bits decide: some tools (Python's `ZipFile.writestr`, several
    JavaScript zip libraries) store permissions without a type, which is an ordinary file."""
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_IFMT(mode):
        if stat.S_ISLNK(mode):
            return "symlink"
        if stat.S_ISDIR(mode):
            return "dir"
        if not stat.S_ISREG(mode):
            return "special"
    return "dir" if info.filename.endswith("/") else "file"


def archive_open(uploaded_file) -> zipfile.ZipFile:
    """The uploaded file as a zip, or a refusal saying it is not one."""
    try:
        uploaded_file.seek(0)
        return zipfile.ZipFile(uploaded_file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(
            _(
                "This file is not a package: upload a SCORM package (.zip with an "
                "imsmanifest.xml) or an H5P file (.h5p)."
            ),
            code="not_a_zip",
        ) from error


def archive_check(archive: zipfile.ZipFile, *, limits: Limits | None = None) -> CheckedArchive:
    """Every check of the module docstring, from the central directory; raises the first
    refusal as a `ValidationError` naming the member at fault."""
    limits = limits or Limits.from_settings()
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise ValidationError(
            _("The package has %(count)d files; at most %(limit)d are allowed."),
            code="too_many_files",
            params={"count": len(infos), "limit": limits.max_files},
        )
    members: dict[str, zipfile.ZipInfo] = {}
    left_out: list[str] = []
    seen: set[str] = set()
    total = 0
    compressed = 0
    for info in infos:
        name = info.filename
        if unsafe_name_reason(name):
            raise _unsafe_name_error(name)
        if too_long := _name_length_error(name):
            raise too_long
        key = name.rstrip("/").casefold()
        if key in seen:
            # Two members of one name: which one a server or a browser would get is undefined.
            raise ValidationError(
                _("The package contains the file %(name)s twice."),
                code="duplicate",
                params={"name": _shown(name)},
            )
        seen.add(key)
        if info.flag_bits & 0x1:
            raise ValidationError(
                _("The file %(name)s in the package is encrypted; upload it without a password."),
                code="encrypted",
                params={"name": _shown(name)},
            )
        kind = _member_kind(info)
        if kind == "symlink":
            raise ValidationError(
                _("The package contains a symbolic link: %(name)s. Links are not allowed."),
                code="symlink",
                params={"name": _shown(name)},
            )
        if kind == "special":
            raise ValidationError(
                _("The package contains %(name)s, which is not an ordinary file."),
                code="special_file",
                params={"name": _shown(name)},
            )
        total += info.file_size
        compressed += info.compress_size
        if info.file_size > limits.max_file_bytes:
            raise ValidationError(
                _("The file %(name)s unpacks to %(size)s; one file may be at most %(limit)s."),
                code="file_too_big",
                params={
                    "name": _shown(name),
                    "size": _format_bytes(info.file_size),
                    "limit": _format_bytes(limits.max_file_bytes),
                },
            )
        if total > limits.max_bytes:
            raise ValidationError(
                _("The package unpacks to more than %(limit)s, the most allowed."),
                code="too_big",
                params={"limit": _format_bytes(limits.max_bytes)},
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise ValidationError(
                _(
                    "The file %(name)s is compressed more than %(ratio)d times; the package "
                    "looks like a “zip bomb” and is refused."
                ),
                code="compression_ratio",
                params={"name": _shown(name), "ratio": limits.max_ratio},
            )
        if kind == "dir" or _is_litter(name):
            continue
        extension = _extension(name)
        if extension in LEFT_OUT_EXTENSIONS:
            left_out.append(name)
            continue
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                _(
                    "The file %(name)s has a type that packages may not contain (%(extension)s). "
                    "Allowed: web pages, scripts, styles, data, images, fonts, audio, video, "
                    "captions and PDF."
                ),
                code="file_type",
                params={"name": _shown(name), "extension": extension or _("no extension")},
            )
        members[name] = info
    if not members:
        raise ValidationError(_("The package is empty."), code="empty")
    _folder_conflict_check(list(members))
    return CheckedArchive(
        archive=archive, members=members, total_bytes=total, limits=limits, left_out=left_out
    )


def entry_chunks(checked: CheckedArchive, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's content in chunks, refusing it as soon as it unpacks to more than its header
    said, more than one file may, or more than the ratio allows (headers can lie)."""
    limit = min(info.file_size, checked.limits.max_file_bytes)
    allowed_by_ratio = max(info.compress_size, 1) * checked.limits.max_ratio
    read = 0
    try:
        with checked.archive.open(info) as member:
            while chunk := member.read(CHUNK_BYTES):
                read += len(chunk)
                if read > limit or (read > RATIO_FLOOR_BYTES and read > allowed_by_ratio):
                    raise ValidationError(
                        _(
                            "The file %(name)s unpacks to more than the package says; the "
                            "package is damaged or forged and is refused."
                        ),
                        code="size_mismatch",
                        params={"name": _shown(info.filename)},
                    )
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        # A wrong checksum, a truncated member, an unknown compression method.
        raise ValidationError(
            _("The file %(name)s in the package is damaged and cannot be read."),
            code="damaged",
            params={"name": _shown(info.filename)},
        ) from error
    if read != info.file_size:
        raise ValidationError(
            _("The file %(name)s in the package is damaged and cannot be read."),
            code="damaged",
            params={"name": _shown(info.filename)},
        )

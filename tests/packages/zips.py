"""Zips with exactly the members a test needs, including hostile ones a zip tool would not write
(names with "..", symbolic links, lying sizes)."""

import io
import stat
import zipfile

MINIMAL_SCORM12 = b"""<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Kursus</title>
    <item identifier="i1" identifierref="r1"><title>Bab 1</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/></resource></resources>
</manifest>"""


def member(name: str, *, mode: int = stat.S_IFREG | 0o644, system: int = 3) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.create_system = system
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def zip_bytes(files: dict, *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of `files`: {name or ZipInfo: bytes or str}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            info = name if isinstance(name, zipfile.ZipInfo) else member(name)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def scorm12_zip(extra: dict | None = None, *, manifest: bytes = MINIMAL_SCORM12) -> bytes:
    """A minimal valid SCORM 1.2 package, plus `extra` members."""
    return zip_bytes({"imsmanifest.xml": manifest, "index.html": b"<p>Halo</p>", **(extra or {})})


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))

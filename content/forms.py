"""The document upload form of the Wagtail admin (WAGTAILDOCS_DOCUMENT_FORM_BASE).

Wagtail checks a document's extension only. Files are served back to anybody who can see the
page that links them, so the first bytes must also match the extension: an HTML page or an
executable renamed to .pdf or .txt is refused at upload, not discovered by a reader.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

_ZIP = (b"PK\x03\x04",)
#: Leading bytes of each allowed binary format (WAGTAILDOCS_EXTENSIONS).
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "webm": (b"\x1a\x45\xdf\xa3",),
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
_TEXT = {"txt", "csv"}
# WebVTT captions: an optional byte-order mark, then "WEBVTT" ending the line or followed by a
# space or tab (the WebVTT standard's file signature).
_WEBVTT = re.compile(rb"^(?:\xef\xbb\xbf)?WEBVTT(?:[ \t\r\n]|$)")
# Whitespace and byte-order marks a browser skips before sniffing markup.
_LEADING_BLANKS = re.compile(rb"^(?:\s|\xef\xbb\xbf)+")
# Text a browser could take for a page or a script, whatever the extension says.
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<head", b"<body", b"<iframe")


def content_matches_extension(extension: str, head: bytes) -> bool:
    """Whether a file's first bytes (2 KB is plenty) are those of a `.extension` file; what
    DocumentForm checks, shared with other uploads (evidence of development records)."""
    return _matches(extension.lower(), head)


def _matches(extension: str, head: bytes) -> bool:
    if extension == "mp4":
        return head[4:8] == b"ftyp"
    if extension == "vtt":
        return b"\x00" not in head and _WEBVTT.match(head) is not None
    if extension in _TEXT:
        stripped = _LEADING_BLANKS.sub(b"", head).lower()
        return b"\x00" not in head and not stripped.startswith(_MARKUP)
    signatures = _SIGNATURES.get(extension)
    return signatures is None or head.startswith(signatures)


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing files whose content does not match their extension."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or upload == self.original_file:
            return upload
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(2048)
        upload.seek(position)
        if not _matches(extension, head):
            raise ValidationError(
                _(
                    "The content of this file is not a .%(extension)s file. Upload the "
                    "original file, not a renamed one."
                )
                % {"extension": extension},
                code="content_mismatch",
            )
        return upload

    def _post_clean(self):
        refused = self.has_error("file", code="content_mismatch")
        super()._post_clean()
        if refused:
            # Wagtail's model check then finds no file and adds 'File extension "" is not
            # allowed', which would only confuse: keep the message that says what is wrong.
            self._errors["file"] = self.error_class(self._errors["file"].data[:1])

"""The package origin's views: a package's files, and the player page that runs them.

Both answer on the package origin only (`packages.middleware`), where no session exists: they
serve the same thing to everyone who knows the package's uuid (random, never shown for a
package that no lesson plays), as media files are served to anyone with their URL. What a
learner does in a package is recorded on the site, through the lesson page's messages.
"""

import hashlib
import mimetypes
import posixpath
import re
from urllib.parse import urlsplit
from uuid import UUID

from csp.utils import build_policy
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.http import parse_etags
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from packages.models import Package, package_storage
from packages.origin import files_path, site_origin
from packages.storage import package_file_path

#: A year: a package's files never change under its uuid (a new upload gets a new one).
IMMUTABLE = "public, max-age=31536000, immutable"

#: Named rather than left to the server's MIME database, which differs between machines and
#: knows no .mjs or .wasm on some; nosniff makes browsers trust exactly what is sent.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".vtt": "text/vtt",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".webp": "image/webp",
}

#: Media types answered in byte ranges.
RANGE_TYPES = ("audio/", "video/", "application/pdf")

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def package_policy(request: HttpRequest, *, package_file: bool = False) -> str:
    """The Content-Security-Policy of package files and the player page.

    Authoring tools (Articulate, Captivate, iSpring, H5P's libraries) write inline scripts,
    inline styles and eval'd code, so the package origin allows them; it holds nothing else to
    protect, having no session and no site pages. What the policy keeps: content from the
    package origin only (no trackers or outside hosts), requests to it only (`connect-src`),
    no plugins, forms posting nowhere else, and framing by the site and the player alone.
    A package's own documents also get `worker-src 'none'`: they cannot register a service
    worker on the package's origin (which would answer for its player page and the files the
    offline save stored), nor start other workers; the player page keeps the default.
    """
    # Static files on another host (STATIC_URL absolute): the player's scripts come from there.
    static_url = urlsplit(settings.STATIC_URL)
    asset_hosts = (
        [f"{static_url.scheme}://{static_url.netloc}"]
        if static_url.scheme and static_url.netloc
        else []
    )
    config = {
        "default-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'", "data:", "blob:"]
        + asset_hosts,
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'", site_origin(request)],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
    if package_file:
        config["worker-src"] = ["'none'"]
    return build_policy(config=config)


def _package(uuid: UUID) -> Package:
    return get_object_or_404(
        Package.objects.only("id", "uuid", "kind", "sha256", "title"), uuid=uuid
    )


def safe_relative_path(path: str) -> str:
    """The path inside the package, or Http404 for anything that could leave its folder:
    `..` and `.` segments, absolute paths, backslashes, empty segments, NUL. The URL is
    percent-decoded before it gets here, so `%2e%2e%2f` arrives as `../` and is refused too."""
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or path.startswith("/")
        or any(part in ("", ".", "..") for part in path.split("/"))
        or posixpath.normpath(path) != path
    ):
        raise Http404("Not a file of this package.")
    return path


def content_type(path: str) -> str:
    extension = posixpath.splitext(path)[1].lower()
    if extension in CONTENT_TYPES:
        return CONTENT_TYPES[extension]
    guessed, encoding = mimetypes.guess_type(path)
    return guessed if guessed and not encoding else "application/octet-stream"


def _protect(
    request: HttpRequest, response: HttpResponse, *, package_file: bool = False
) -> HttpResponse:
    response["Content-Security-Policy"] = package_policy(request, package_file=package_file)
    response["X-Content-Type-Options"] = "nosniff"
    return response


#: `_byte_range`'s answer for a range no byte of the file satisfies (a 416).
UNSATISFIABLE = (-1, -1)


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single `Range: bytes=a-b` within the file, or None when the header is
    absent, of several ranges or malformed (the whole file is then sent, as RFC 9110 allows);
    UNSATISFIABLE when it asks for no byte of the file ("bytes=-0", a start beyond its end)."""
    match = _RANGE.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            return UNSATISFIABLE
        return max(size - suffix, 0), size - 1
    first_byte = int(first)
    if last and int(last) < first_byte:
        return None  # invalid: ignored, the whole file is sent
    if first_byte >= size:
        return UNSATISFIABLE
    last_byte = min(int(last), size - 1) if last else size - 1
    return first_byte, last_byte


@require_safe
@xframe_options_exempt
def package_file(request: HttpRequest, uuid: UUID, path: str) -> HttpResponse:
    """A file of the package, with its media type, a year of caching and the package policy.

    Single byte ranges are answered (video and audio seek with them); the ETag is the
    package's checksum with the path, as the file can never change under this URL.
    """
    package = _package(uuid)
    try:
        name = package_file_path(package, safe_relative_path(path))
    except ValueError as error:
        raise Http404("Not a file of this package.") from error
    etag = '"{}"'.format(hashlib.sha256(f"{package.sha256}:{path}".encode()).hexdigest()[:32])
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE}
    # Weak comparison (RFC 9110 13.1.2): the gzip middleware sends text with a weak ETag.
    asked = parse_etags(request.headers.get("If-None-Match", ""))
    asked = {tag.removeprefix("W/") for tag in asked}
    if etag in asked or "*" in asked:
        response = HttpResponseNotModified(headers=headers)
        return _protect(request, response, package_file=True)
    storage = package_storage()
    try:
        size = storage.size(name)
        handle = storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
        raise Http404("No such file in this package.") from error
    kind = content_type(path)
    # Ranges for what players seek in and PDF viewers fetch in parts; text is sent whole, as
    # the gzip middleware would compress a part and break its Content-Range.
    seekable = kind.startswith(RANGE_TYPES)
    byte_range = _byte_range(request.headers.get("Range", ""), size) if seekable else None
    if byte_range == UNSATISFIABLE:
        handle.close()
        response = HttpResponse(status=416, headers=headers)
        response["Content-Range"] = f"bytes */{size}"
    elif byte_range is not None:
        first, last = byte_range
        handle.seek(first)
        length = last - first + 1
        response = HttpResponse(handle.read(length), status=206, content_type=kind, headers=headers)
        handle.close()
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    else:
        response = FileResponse(handle, content_type=kind, headers=headers)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes" if seekable else "none"
    return _protect(request, response, package_file=True)


@require_safe
@xframe_options_exempt
def player(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The player page: a bare document that runs the SCORM or H5P runtime for the lesson page
    framing it (static/js/package-player.js), and the package's content inside it.

    The site origin it may talk to is rendered here by the server, never taken from the
    referrer: the player sends its messages to that origin only and accepts only its answers.
    """
    package = _package(uuid)
    config = {
        "siteOrigin": site_origin(request),
        "kind": package.kind,
        "filesUrl": files_path(package),
        "h5p": (
            {
                "mainJs": static("vendor/h5p-standalone/main.bundle.js"),
                "frameJs": static("vendor/h5p-standalone/frame.bundle.js"),
                "frameCss": static("vendor/h5p-standalone/styles/h5p.css"),
            }
            if package.kind == Package.Kind.H5P
            else None
        ),
    }
    response = render(request, "packages/player.html", {"package": package, "config": config})
    # Rendered per request (the site origin); cheap to check again, never kept stale.
    response["Cache-Control"] = "no-cache"
    return _protect(request, response)

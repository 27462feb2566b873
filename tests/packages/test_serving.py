"""Serving a package from the package origin: its files with their media types, the package
policy, a year of caching, ETags and byte ranges, never a file outside the package's folder;
and the player page with the data the player script needs."""

import json
import re
from uuid import UUID

import pytest

from packages import samples
from packages.factories import PackageFactory
from tests.packages.zips import scorm12_zip

#: A package of none stored.
UNKNOWN = UUID("00000000-0000-4000-8000-000000000000")


def host(package) -> str:
    """The package's own host for the test client's site ("testserver"): p-<hex>.localhost."""
    return f"p-{getattr(package, 'uuid', package).hex}.localhost"


#: The package policy, directive by directive (django-csp writes them in no fixed order).
POLICY = {
    "default-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'", "data:", "blob:"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'self'", "http://testserver"],
}
#: Package files (not the player page) may not register service workers or start workers.
FILE_POLICY = POLICY | {"worker-src": ["'none'"]}
VIDEO = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def package(db):
    return PackageFactory(
        archive=scorm12_zip(
            {
                "index.html": "<p>Halo, peserta</p>",
                "js/app.js": "window.x = 1;",
                "js/app.mjs": "export const x = 1;",
                "css/app.css": "p { color: red; }",
                "data/items.json": "[]",
                "media/klip.mp4": VIDEO,
                "media/teks.vtt": "WEBVTT\n",
                "img/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                "img/foto.png": b"\x89PNG\r\n\x1a\n",
                "fonts/huruf.woff2": b"wOF2",
                "docs/panduan.pdf": b"%PDF-1.7\n",
                "folder dengan spasi/halaman.html": "<p>Spasi</p>",
            }
        )
    )


def get(client, package, path, **headers):
    return client.get(f"/paket/{package.uuid}/f/{path}", HTTP_HOST=host(package), **headers)


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("js/app.js", "application/javascript"),
        ("js/app.mjs", "application/javascript"),
        ("css/app.css", "text/css"),
        ("data/items.json", "application/json"),
        ("imsmanifest.xml", "application/xml"),
        ("media/klip.mp4", "video/mp4"),
        ("media/teks.vtt", "text/vtt"),
        ("img/logo.svg", "image/svg+xml"),
        ("img/foto.png", "image/png"),
        ("fonts/huruf.woff2", "font/woff2"),
        ("docs/panduan.pdf", "application/pdf"),
    ],
)
def test_files_are_served_with_their_media_type(client, package, path, content_type):
    response = get(client, package, path)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_a_file_is_served_whole_with_the_package_headers(client, package):
    response = get(client, package, "index.html")

    assert body(response) == b"<p>Halo, peserta</p>"
    # A package's documents may not register a service worker on its origin.
    assert policy(response) == FILE_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert response["Accept-Ranges"] == "none"  # text is sent whole (and compressed)
    # Framed by the site: frame-ancestors decides, not X-Frame-Options.
    assert "X-Frame-Options" not in response
    assert not response.cookies


def test_a_name_with_spaces_is_served(client, package):
    response = get(client, package, "folder%20dengan%20spasi/halaman.html")

    assert response.status_code == 200
    assert body(response) == b"<p>Spasi</p>"


def test_the_policy_names_the_set_site_origin(settings, client, package):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", ".paket.example.go.id"]
    settings.LENTERA_PACKAGE_ORIGIN = "https://*.paket.example.go.id"

    response = client.get(
        f"/paket/{package.uuid}/f/index.html",
        HTTP_HOST=f"p-{package.uuid.hex}.paket.example.go.id",
        secure=True,
    )

    assert policy(response)["frame-ancestors"] == ["'self'", "https://lentera.example.go.id"]


def test_an_unchanged_file_is_not_sent_again(client, package):
    etag = get(client, package, "js/app.js")["ETag"]

    response = get(client, package, "js/app.js", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert body(response) == b""


def test_a_weak_etag_from_the_compressed_answer_counts_too(client, package):
    etag = get(client, package, "js/app.js")["ETag"]

    assert get(client, package, "js/app.js", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304


def test_each_file_has_its_own_etag(client, package):
    assert get(client, package, "js/app.js")["ETag"] != get(client, package, "index.html")["ETag"]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=10000-", 10000, 10239), ("bytes=-40", 10200, 10239)],
)
def test_media_are_served_in_byte_ranges(client, package, header, first, last):
    response = get(client, package, "media/klip.mp4", HTTP_RANGE=header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(VIDEO)}"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == VIDEO[first : last + 1]


def test_text_is_sent_whole_whatever_the_range_asked(client, package):
    response = get(client, package, "js/app.js", HTTP_RANGE="bytes=0-3")

    assert response.status_code == 200
    assert body(response) == b"window.x = 1;"


def test_media_say_they_take_ranges(client, package):
    assert get(client, package, "media/klip.mp4")["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "lines=1-2", "bytes=500-100", "bytes=-"])
def test_a_range_not_understood_gets_the_whole_file(client, package, header):
    response = get(client, package, "media/klip.mp4", HTTP_RANGE=header)

    assert response.status_code == 200
    assert body(response) == VIDEO


@pytest.mark.parametrize("header", ["bytes=-0", "bytes=10240-", "bytes=20000-20010"])
def test_a_range_of_no_byte_of_the_file_is_unsatisfiable(client, package, header):
    response = get(client, package, "media/klip.mp4", HTTP_RANGE=header)

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"
    assert body(response) == b""
    assert policy(response) == FILE_POLICY


def test_a_not_modified_answer_keeps_the_file_policy(client, package):
    etag = get(client, package, "js/app.js")["ETag"]

    response = get(client, package, "js/app.js", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert policy(response) == FILE_POLICY


def test_head_is_answered_and_posts_are_not(client, package):
    assert (
        client.head(f"/paket/{package.uuid}/f/index.html", HTTP_HOST=host(package)).status_code
        == 200
    )
    assert (
        client.post(f"/paket/{package.uuid}/f/index.html", HTTP_HOST=host(package)).status_code
        == 405
    )


@pytest.mark.parametrize(
    "path",
    [
        "../{other}/index.html",
        "%2e%2e/{other}/index.html",
        "%2E%2E%2F{other}%2Findex.html",
        "js/../../{other}/index.html",
        "js/%2e%2e/%2e%2e/{other}/index.html",
        "./index.html",
        "js//app.js",
        "/etc/passwd",
        "%2fetc%2fpasswd",
        "..%5c{other}%5cindex.html",
        "index.html%00.png",
        "../../../../../../etc/passwd",
        "js",  # a folder, not a file
        "tidak-ada.html",
    ],
)
def test_no_file_outside_the_package_is_served(client, package, path):
    """Another package's files (or anything else on the server) cannot be reached through
    this package's address: URLs arrive percent-decoded, so encoded dots are refused too."""
    other = PackageFactory(archive=scorm12_zip())

    response = get(client, package, path.format(other=other.uuid))

    assert response.status_code in (400, 404)
    assert b"Halo" not in body(response)


def test_an_unknown_package_is_not_found(client, db):
    response = client.get(f"/paket/{UNKNOWN}/f/index.html", HTTP_HOST=host(UNKNOWN))

    assert response.status_code == 404


# The player page


def player_data(response) -> dict:
    match = re.search(
        r'<script id="package-player" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def test_the_player_page_holds_what_the_player_needs(client, package):
    response = client.get(f"/paket/{package.uuid}/putar/", HTTP_HOST=host(package))
    html = response.content.decode()

    assert response.status_code == 200
    assert player_data(response) == {
        "siteOrigin": "http://testserver",
        "kind": "scorm12",
        "filesUrl": f"/paket/{package.uuid}/f/",
        "h5p": None,
    }
    assert '<script src="/static/js/package-player.js" defer></script>' in html
    assert policy(response) == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-cache"
    assert "X-Frame-Options" not in response
    assert not response.cookies
    # No Lentera chrome: no menu, no account, no CSRF token.
    assert "csrfmiddlewaretoken" not in html
    assert "site-header" not in html


def test_an_h5p_player_page_names_the_vendored_runtime(client, db):
    package = PackageFactory(archive=samples.h5p_quiz(), file_name="kuis.h5p")

    response = client.get(f"/paket/{package.uuid}/putar/", HTTP_HOST=host(package))

    assert player_data(response)["kind"] == "h5p"
    assert player_data(response)["h5p"] == {
        "mainJs": "/static/vendor/h5p-standalone/main.bundle.js",
        "frameJs": "/static/vendor/h5p-standalone/frame.bundle.js",
        "frameCss": "/static/vendor/h5p-standalone/styles/h5p.css",
    }
    for name in ("main.bundle.js", "frame.bundle.js", "styles/h5p.css"):
        static = client.get(f"/static/vendor/h5p-standalone/{name}", HTTP_HOST=host(package))
        assert static.status_code == 200, name


def test_the_player_of_an_unknown_package_is_not_found(client, db):
    response = client.get(f"/paket/{UNKNOWN}/putar/", HTTP_HOST=host(UNKNOWN))

    assert response.status_code == 404

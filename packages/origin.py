"""Where package files are served from, and which origin may frame them and talk to them.

A package is someone else's JavaScript. Its files are served from an origin of their own, never
from the site's: a script there cannot read the site's cookies or pages, nor call `/api/v1/`
with the learner's session, because the browser's same-origin policy keeps the two apart. The
lesson page (site origin) frames the player page (package origin) and the two talk only through
`postMessage`, each checking the other's origin.

**One origin per package.** Packages must not share an origin with each other either: an
origin's Cache Storage, service worker and local storage are shared by every page on it, so a
hostile package could plant a fake player page there for another package's lessons and post
forged commits for them. `LENTERA_PACKAGE_ORIGIN` therefore names a wildcard:
"https://*.paket.lentera.go.id" serves package <uuid> from
"https://p-<uuid hex>.paket.lentera.go.id" (`package_origin(request, package)`; a 34-character
DNS label), which needs wildcard DNS and a wildcard TLS certificate. A single fixed origin
("https://paket.lentera.go.id") is still accepted for deployments without them, every package
then sharing that origin's storage (`check --deploy` warns; see the README).

Left empty, the "loopback twin" applies, so that `make run` and the browser tests work with no
set-up: a site at http://127.0.0.1:P or http://localhost:P gets package <uuid> from
http://p-<uuid hex>.localhost:P. Chromium and Firefox resolve every `*.localhost` name to the
loopback address and treat it as a secure context, and localhost's host-only cookies are not
sent to its subdomains. Which host is the site's is read from `BASE_URL`
(`WAGTAILADMIN_BASE_URL`); Django's test client ("testserver") counts as loopback. On any other
host an empty setting leaves packages unavailable, and `manage.py check --deploy` says so.

The package host serves a package's files and player only under that package's own host
(`host_package_uuid`, enforced by `packages.middleware`); the offline worker and save page
(`/paket/sw.js`, `/paket/simpan/`) on any package host.

The site origin, the only one allowed to frame package files and to receive the player's
messages, is the origin of `BASE_URL` when the package origin is set (the address e-mails
and certificates already use); in the loopback twin, BASE_URL's host on the request's port.
"""

import re
from typing import NamedTuple
from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest

#: Host names a development server answers on as the site (the loopback twin applies there).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "testserver")
#: The parent of the loopback twin's package hosts: "p-<hex>.localhost".
LOOPBACK_PACKAGE_PARENT = "localhost"
#: The URL prefix of everything the package origin serves besides static files.
PACKAGE_PATH_PREFIX = "/paket/"
#: The other path the package origin serves: the player's script and the vendored H5P runtime.
STATIC_PATH_PREFIX = "/static/"
#: A package's host label: "p-" and its uuid's 32 hex digits (a DNS label of 34 characters).
PACKAGE_LABEL_PREFIX = "p-"
_PACKAGE_LABEL = re.compile(r"^p-([0-9a-f]{32})$")
#: The wildcard label of LENTERA_PACKAGE_ORIGIN ("https://*.paket.example.go.id").
WILDCARD = "*."
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _host_and_port(netloc: str) -> tuple[str, str]:
    """("localhost", "8000") from "LocalHost.:8000": lower case, without the trailing dot of a
    fully qualified name ("paket.example.go.id." is the same host); IPv6 literals keep their
    brackets."""
    netloc = netloc.lower()
    if netloc.startswith("["):
        host, _, rest = netloc.partition("]")
        return host + "]", rest.removeprefix(":")
    host, _, port = netloc.partition(":")
    return host.rstrip("."), port


def _origin(scheme: str, host: str, port: str) -> str:
    default = _DEFAULT_PORTS.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def configured_origin() -> str:
    """`LENTERA_PACKAGE_ORIGIN` without a trailing slash ("" for the loopback twin)."""
    return (getattr(settings, "LENTERA_PACKAGE_ORIGIN", "") or "").strip().rstrip("/")


class OriginPattern(NamedTuple):
    """LENTERA_PACKAGE_ORIGIN taken apart: "https://*.paket.example.go.id:8443" is
    ("https", "paket.example.go.id", "8443", True); a fixed origin has wildcard False and its
    whole host in `host`."""

    scheme: str
    host: str
    port: str
    wildcard: bool

    def package_host(self, package) -> str:
        return f"{package_label(package)}.{self.host}" if self.wildcard else self.host

    def source(self) -> str:
        """The CSP source expression that matches every package origin."""
        host = f"*.{self.host}" if self.wildcard else self.host
        return _origin(self.scheme, host, self.port)


def origin_pattern() -> OriginPattern | None:
    """The configured package origin(s), or None for the loopback twin (empty setting)."""
    configured = configured_origin()
    if not configured:
        return None
    parts = urlsplit(configured)
    host, port = _host_and_port(parts.netloc)
    wildcard = host.startswith(WILDCARD)
    return OriginPattern(parts.scheme.lower(), host.removeprefix(WILDCARD), port, wildcard)


def site_host() -> str:
    """The host name of the site's public address (`BASE_URL`)."""
    return _host_and_port(urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc)[0]


def loopback() -> bool:
    """Whether the loopback twin applies: no package origin set, the site on a loopback name."""
    return not configured_origin() and site_host() in LOOPBACK_HOSTS


def _uuid_hex(package) -> str:
    """The 32 hex digits of a package's uuid (a Package, a UUID or its text)."""
    value = getattr(package, "uuid", package)
    return (value if isinstance(value, UUID) else UUID(str(value))).hex


def package_label(package) -> str:
    """The host label of a package's own origin: "p-" and its uuid's hex digits."""
    return PACKAGE_LABEL_PREFIX + _uuid_hex(package)


def _request_host_and_port(request: HttpRequest) -> tuple[str, str]:
    return _host_and_port(request.get_host())


def _package_label_of(host: str, parent: str) -> str | None:
    """The first label of `host` when it is exactly one label under `parent`, else None."""
    label, dot, rest = host.partition(".")
    return label if dot and label and rest == parent else None


def is_package_request(request: HttpRequest) -> bool:
    """Whether the request came to a package host (which serves package files only): the
    wildcard's parent and every name under it (every name under "localhost" in the loopback
    twin), or the fixed package origin's host. Only "p-<uuid hex>" one label under the parent
    names a package (`host_package_uuid`); the others serve nothing.

    Never for the dummy requests through which Wagtail renders previews (with the host of
    Wagtail's site, "localhost" until `manage.py site_identity` runs): those are the site's.
    """
    if getattr(request, "is_dummy", False):
        return False
    pattern = origin_pattern()
    if pattern is not None:
        got_host, got_port = _request_host_and_port(request)
        default = _DEFAULT_PORTS.get(pattern.scheme, "")
        if (got_port or default) != (pattern.port or default):
            return False
        if pattern.wildcard:
            # The wildcard's parent and deeper names too (".paket.example.go.id" in
            # ALLOWED_HOSTS lets them in): package hosts of no package, never the site.
            return got_host == pattern.host or got_host.endswith("." + pattern.host)
        return got_host == pattern.host
    if not loopback():
        return False
    return _request_host_and_port(request)[0].endswith("." + LOOPBACK_PACKAGE_PARENT)


def host_package_uuid(request: HttpRequest) -> UUID | None:
    """The uuid of the package whose own host the request came to ("p-<hex>..."), or None on a
    fixed package origin (shared by all packages) and on hosts with no package label."""
    pattern = origin_pattern()
    if pattern is not None and not pattern.wildcard:
        return None
    parent = pattern.host if pattern is not None else LOOPBACK_PACKAGE_PARENT
    label = _package_label_of(_request_host_and_port(request)[0], parent) or ""
    match = _PACKAGE_LABEL.match(label)
    return UUID(hex=match.group(1)) if match else None


def per_package_hosts() -> bool:
    """Whether every package has a host of its own (wildcard setting, or the loopback twin)."""
    pattern = origin_pattern()
    return pattern.wildcard if pattern is not None else True


def _loopback_port(request: HttpRequest) -> tuple[str, str] | None:
    """(scheme, port) the loopback twin's package hosts use for this request, or None when
    packages cannot be played from the host it came to."""
    if not loopback():
        return None
    if getattr(request, "is_dummy", False):
        # A preview: its dummy request carries the host of Wagtail's site, not the one the
        # editor's browser is on; BASE_URL's is the site's.
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        return base.scheme, _host_and_port(base.netloc)[1]
    try:
        host, port = _request_host_and_port(request)
    except DisallowedHost:  # answered with a 400 already; its headers need no package origin
        return None
    # The site is BASE_URL's host only: the player page answers that origin alone, so a page
    # of the site reached by another loopback name could not talk to it.
    if host != site_host() and _package_label_of(host, LOOPBACK_PACKAGE_PARENT) is None:
        return None
    return request.scheme, port


def package_origin(request: HttpRequest, package) -> str | None:
    """The origin a package's files are served from ("http://p-<hex>.localhost:8000",
    "https://p-<hex>.paket.example.go.id"), or None when packages cannot be played on this host
    (no `LENTERA_PACKAGE_ORIGIN`, and the request did not come to a loopback name).
    `package`: a Package, or its uuid."""
    pattern = origin_pattern()
    if pattern is not None:
        return _origin(pattern.scheme, pattern.package_host(package), pattern.port)
    scheme_port = _loopback_port(request)
    if scheme_port is None:
        return None
    scheme, port = scheme_port
    return _origin(scheme, f"{package_label(package)}.{LOOPBACK_PACKAGE_PARENT}", port)


def package_origins_source(request: HttpRequest) -> str | None:
    """The CSP source expression matching every package's origin, for the site's frame-src:
    "https://*.paket.example.go.id", the fixed origin, or "http://*.localhost:8000" in the
    loopback twin; None when packages cannot be played on this host."""
    pattern = origin_pattern()
    if pattern is not None:
        return pattern.source()
    scheme_port = _loopback_port(request)
    if scheme_port is None:
        return None
    return _origin(scheme_port[0], f"*.{LOOPBACK_PACKAGE_PARENT}", scheme_port[1])


def site_origin(request: HttpRequest) -> str:
    """The site's origin: the only one that may frame package files and exchange messages with
    the player."""
    if configured_origin():
        parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        return _origin(parts.scheme, *_host_and_port(parts.netloc))
    return _origin(request.scheme, site_host(), _request_host_and_port(request)[1])


def player_path(package) -> str:
    """The player page of a package, on its origin ("/paket/<uuid>/putar/")."""
    return f"{PACKAGE_PATH_PREFIX}{package.uuid}/putar/"


def files_path(package) -> str:
    """Where a package's files start, on its origin ("/paket/<uuid>/f/")."""
    return f"{PACKAGE_PATH_PREFIX}{package.uuid}/f/"


def package_urls(request: HttpRequest, package) -> dict[str, str | None]:
    """The absolute player and file URLs of a package for this request (runtime config), or
    None for each when packages cannot be played on this host."""
    origin = package_origin(request, package)
    if origin is None:
        return {"packageOrigin": None, "playerUrl": None, "filesUrl": None}
    return {
        "packageOrigin": origin,
        "playerUrl": origin + player_path(package),
        "filesUrl": origin + files_path(package),
    }

"""Where package files are served from, and which origin may frame them and talk to them.

A package is someone else's JavaScript. Its files are served from an origin of their own (the
package origin), never from the site's: a script there cannot read the site's cookies or
pages, nor call `/api/v1/` with the learner's session, because the browser's same-origin policy
keeps the two apart. The lesson page (site origin) frames the player page (package origin) and
the two talk only through `postMessage`, each checking the other's origin.

`LENTERA_PACKAGE_ORIGIN` names the package origin ("https://paket.lentera.go.id"). Left empty,
the "loopback twin" applies, so that `make run` and the browser tests work with no set-up: the
site at http://127.0.0.1:P gets its packages from http://localhost:P and the site at
http://localhost:P from http://127.0.0.1:P. Browsers treat the two names as different origins
(and cookies as different hosts); both reach the same development server. Which of the two is
the site is read from `BASE_URL` (`WAGTAILADMIN_BASE_URL`), so the package host never serves
the site: a request to it is a package request (`packages.middleware`). Django's test client
("testserver") counts as loopback, its twin being "127.0.0.1". On any other host an empty
setting leaves packages unavailable, and `manage.py check --deploy` says so.

The site origin, the only one allowed to frame package files and to receive the player's
messages, is the origin of `BASE_URL` when the package origin is set (the address e-mails
and certificates already use); in the loopback twin, the twin of the package host on the
request's port.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest

#: Host names a development server answers on, and the twin each one's packages come from.
LOOPBACK_TWINS = {
    "127.0.0.1": "localhost",
    "localhost": "127.0.0.1",
    "testserver": "127.0.0.1",
}
#: The URL prefix of everything the package origin serves besides static files.
PACKAGE_PATH_PREFIX = "/paket/"
#: The other path the package origin serves: the player's script and the vendored H5P runtime.
STATIC_PATH_PREFIX = "/static/"


def _host_and_port(netloc: str) -> tuple[str, str]:
    """("localhost", "8000") from "LocalHost:8000"; IPv6 literals keep their brackets."""
    netloc = netloc.lower()
    if netloc.startswith("["):
        host, _, rest = netloc.partition("]")
        return host + "]", rest.removeprefix(":")
    host, _, port = netloc.partition(":")
    return host, port


def _origin(scheme: str, host: str, port: str) -> str:
    default = {"http": "80", "https": "443"}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def configured_origin() -> str:
    """`LENTERA_PACKAGE_ORIGIN` without a trailing slash ("" for the loopback twin)."""
    return (getattr(settings, "LENTERA_PACKAGE_ORIGIN", "") or "").strip().rstrip("/")


def site_host() -> str:
    """The host name of the site's public address (`BASE_URL`)."""
    return _host_and_port(urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc)[0]


def twin_host() -> str | None:
    """The package host of the loopback twin, or None when the site is not on a loopback
    name (or the package origin is set)."""
    if configured_origin():
        return None
    return LOOPBACK_TWINS.get(site_host())


def _request_host_and_port(request: HttpRequest) -> tuple[str, str]:
    return _host_and_port(request.get_host())


def is_package_request(request: HttpRequest) -> bool:
    """Whether the request came to the package origin (which serves package files only).

    Never for the dummy requests through which Wagtail renders previews (with the host of
    Wagtail's site, "localhost" until `manage.py site_identity` runs): those are the site's.
    """
    if getattr(request, "is_dummy", False):
        return False
    configured = configured_origin()
    if configured:
        parts = urlsplit(configured)
        host, port = _host_and_port(parts.netloc)
        got_host, got_port = _request_host_and_port(request)
        default = {"http": "80", "https": "443"}.get(parts.scheme, "")
        return got_host == host and (got_port or default) == (port or default)
    twin = twin_host()
    return twin is not None and _request_host_and_port(request)[0] == twin


def package_origin(request: HttpRequest) -> str | None:
    """The origin package files are served from ("http://localhost:8000"), or None when
    packages cannot be played on this host (no `LENTERA_PACKAGE_ORIGIN`, and the request did
    not come to a loopback name)."""
    configured = configured_origin()
    if configured:
        return configured
    twin = twin_host()
    if twin is None:
        return None
    if getattr(request, "is_dummy", False):
        # A preview: its dummy request carries the host of Wagtail's site, not the one the
        # editor's browser is on; BASE_URL's is the site's.
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        return _origin(base.scheme, twin, _host_and_port(base.netloc)[1])
    try:
        host, port = _request_host_and_port(request)
    except DisallowedHost:  # answered with a 400 already; its headers need no package origin
        return None
    if host not in (twin, site_host()):
        return None
    return _origin(request.scheme, twin, port)


def site_origin(request: HttpRequest) -> str:
    """The site's origin: the only one that may frame package files and exchange messages with
    the player."""
    if configured_origin():
        parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        return _origin(parts.scheme, *_host_and_port(parts.netloc))
    return _origin(request.scheme, site_host(), _request_host_and_port(request)[1])


def player_path(package) -> str:
    """The player page of a package, on the package origin ("/paket/<uuid>/putar/")."""
    return f"{PACKAGE_PATH_PREFIX}{package.uuid}/putar/"


def files_path(package) -> str:
    """Where a package's files start, on the package origin ("/paket/<uuid>/f/")."""
    return f"{PACKAGE_PATH_PREFIX}{package.uuid}/f/"


def package_urls(request: HttpRequest, package) -> dict[str, str | None]:
    """The absolute player and file URLs of a package for this request (runtime config), or
    None for each when packages cannot be played on this host."""
    origin = package_origin(request)
    if origin is None:
        return {"packageOrigin": None, "playerUrl": None, "filesUrl": None}
    return {
        "packageOrigin": origin,
        "playerUrl": origin + player_path(package),
        "filesUrl": origin + files_path(package),
    }

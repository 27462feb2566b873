"""The package origin's part of saving a course for offline use (issue 18): its service worker
and its save page.

The site cannot store or serve another origin's files, and package files are served from the
package origin (`packages.origin`). So the site's "save for offline" frames, hidden, this
origin's save page (`/paket/simpan/`, script static/js/package-save.js), which registers this
origin's service worker (`/paket/sw.js`, static/js/package-sw.js, scope `/paket/`) and, asked
by the site (its messages' origin checked against the site origin rendered here), stores a
package's player page and files in this origin's Cache Storage; the worker then serves the
lesson's player frame from there when offline.

Every package has an origin of its own (`packages.origin`): the site frames one save page per
package origin, and each stores its own package only. The site always frames these origins, so
browsers that partition third-party storage by top-level site (Chromium, Firefox, Safari) give
a package's save page frame and its player frame the same partition: the same caches and the
same service worker.

Both answer on the package origin only (`packages.middleware`; the site 404s `/paket/`), with
no session and no cookie, and hold nothing personal: a package's files are the same for every
learner.
"""

import hashlib
from functools import lru_cache
from urllib.parse import urlsplit

from csp.utils import build_policy
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_safe

from packages.models import Package
from packages.origin import PACKAGE_PATH_PREFIX, host_package_uuid, site_origin

SERVICE_WORKER = "js/package-sw.js"
SAVE_SCRIPT = "js/package-save.js"
#: The player's static files every package needs offline, and those of H5P packages (the whole
#: vendored h5p-standalone: its styles load fonts and images the player page does not name).
PLAYER_STATIC = ["js/package-player.js", "css/package-player.css"]
H5P_STATIC_DIR = "vendor/h5p-standalone/"


def _asset_hosts() -> list[str]:
    parts = urlsplit(settings.STATIC_URL)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


@lru_cache(maxsize=1)
def _h5p_static() -> tuple[str, ...]:
    """The vendored H5P runtime's files (licences left out), as static names."""
    names = set()
    for finder in finders.get_finders():
        for name, _storage in finder.list([]):
            name = name.replace("\\", "/")
            if name.startswith(H5P_STATIC_DIR) and "LICENSE" not in name.upper():
                names.add(name)
    return tuple(sorted(names))


def player_static() -> dict[str, list[str]]:
    """The static URLs (hashed in production, as the player page names them) the save page
    stores with a package, by package kind."""
    common = [static(name) for name in PLAYER_STATIC]
    h5p = [static(name) for name in _h5p_static()]
    return {
        kind: common + (h5p if kind == Package.Kind.H5P else []) for kind in Package.Kind.values
    }


def _static_source(name: str) -> bytes:
    """A static file's bytes: with production's hashed storage, the collected copy; otherwise
    the source, as the finders serve it (as offline.views does for the site's worker)."""
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        try:
            with staticfiles_storage.open(name) as handle:
                return handle.read()
        except FileNotFoundError:
            pass
    found = finders.find(name)
    if not found:
        raise Http404(name)
    with open(found, "rb") as handle:
        return handle.read()


@lru_cache(maxsize=1)
def _cached_worker_body() -> bytes:
    return _static_source(SERVICE_WORKER)


def _worker_body() -> bytes:
    return _static_source(SERVICE_WORKER) if settings.DEBUG else _cached_worker_body()


def _worker_etag(request) -> str:
    return hashlib.sha256(_worker_body()).hexdigest()[:32]


@require_safe
@condition(etag_func=_worker_etag)
def package_service_worker(request: HttpRequest) -> HttpResponse:
    """The package origin's service worker (static/js/package-sw.js, `make frontend`), with
    scope /paket/. Browsers check it for updates when a controlled page loads: `no-cache` with
    an ETag makes an unchanged one a 304."""
    response = HttpResponse(_worker_body(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = PACKAGE_PATH_PREFIX
    response["Content-Security-Policy"] = build_policy(
        config={"default-src": ["'self'"], "connect-src": ["'self'"]}
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def save_policy(request: HttpRequest) -> str:
    """The save page runs its one script (no inline code) and may be framed by the site only."""
    return build_policy(
        config={
            "default-src": ["'none'"],
            "script-src": ["'self'", *_asset_hosts()],
            "worker-src": ["'self'"],
            "connect-src": ["'self'"],
            "base-uri": ["'none'"],
            "form-action": ["'none'"],
            "frame-ancestors": [site_origin(request)],
        }
    )


@require_safe
@xframe_options_exempt
def save_page(request: HttpRequest) -> HttpResponse:
    """The page the site frames (hidden) to store packages for offline use: no content, its
    script and the data it needs: the site origin it takes messages from, the worker to
    register, the player's static files to store with each kind of package, and the one
    package this host may store (its own, on a per-package host; null on a fixed origin)."""
    host_uuid = host_package_uuid(request)
    config = {
        "siteOrigin": site_origin(request),
        "uuid": str(host_uuid) if host_uuid else None,
        "worker": f"{PACKAGE_PATH_PREFIX}sw.js",
        "scope": PACKAGE_PATH_PREFIX,
        "statics": player_static(),
        "script": SAVE_SCRIPT,
    }
    response = render(request, "packages/offline_save.html", {"config": config})
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = save_policy(request)
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response

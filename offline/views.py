"""The installable app's own files (manifest, service worker) and the offline page."""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.http import Http404, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET

from offline.strings import strings_json, strings_url, strings_version

# lentera.css's palette: the header's text colour (the icon's ground) and the page's white.
THEME_COLOR = "#1c2328"
BACKGROUND_COLOR = "#ffffff"

ICONS = [
    {"src": "icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {
        "src": "icons/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
]

# What the service worker stores on install: the look of every page and the offline page. The
# page has just loaded these, so they come from the HTTP cache; the icons do not (browsers fetch
# them when installing, and precaching them would add 16 KB to a learner's first visit).
PRECACHED_STATIC = [
    "css/lentera.css",
    "js/lentera.js",
    "favicon.svg",
]

SERVICE_WORKER = "js/sw.js"


def _root_only(request) -> None:
    """The manifest and the service worker live at the root only: the i18n patterns that
    serve them there (Indonesian has no prefix) would also answer under /en/, and a second
    address would be a second app and a second service worker."""
    if translation.get_language_from_path(request.path_info):
        raise Http404


@require_GET
@cache_control(max_age=86400, public=True)
def webmanifest(request):
    """The web app manifest: Lentera installs as one app in Indonesian, whatever the page."""
    _root_only(request)
    with translation.override("id-id"):
        manifest = {
            "id": "/",
            "name": "Lentera",
            "short_name": "Lentera",
            "description": (
                "Belajar kapan saja, di mana saja: pengembangan kompetensi ASN, juga saat luring."
            ),
            "lang": "id",
            "dir": "ltr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "icons": [{**icon, "src": static(icon["src"])} for icon in ICONS],
        }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _static_source(name: str) -> bytes:
    """A static file's bytes: with production's hashed storage, the collected copy (the one
    whose hashed URLs the precache lists); otherwise the source, as the finders serve it."""
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


def _offline_pages() -> dict:
    pages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pages[code.split("-")[0]] = reverse("offline:index")
    return pages


def _strings_urls() -> list[str]:
    """Every language's versioned strings address: the offline page and saved pages need
    their words without a connection."""
    urls = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls.append(strings_url())
    return urls


def _build_service_worker() -> bytes:
    script = _static_source(SERVICE_WORKER)
    precache = [static(name) for name in PRECACHED_STATIC]
    config = {
        "precache": precache,
        "offlinePages": _offline_pages(),
        "strings": _strings_urls(),
        "apiPrefix": "/api/v1/",
        "csrfUrl": "/api/v1/me/csrf-token",
    }
    # A new built script or a new hashed static file is a new service worker: the browser
    # compares the script byte for byte, and the version names the precache.
    digest = hashlib.sha256(script)
    digest.update(json.dumps(config, sort_keys=True).encode())
    config = {"version": digest.hexdigest()[:16], **config}
    prefix = f"self.LENTERA = {json.dumps(config, sort_keys=True)};\n"
    return prefix.encode() + script


_cached_service_worker = lru_cache(maxsize=1)(_build_service_worker)


def _service_worker_body() -> bytes:
    return _build_service_worker() if settings.DEBUG else _cached_service_worker()


def _service_worker_etag(request) -> str:
    return hashlib.sha256(_service_worker_body()).hexdigest()[:32]


@require_GET
@condition(etag_func=_service_worker_etag)
def service_worker(request):
    """The built service worker (static/js/sw.js, `make frontend`) served from the root so
    that its scope is the whole site, with its configuration on the first line: the hashed
    URLs to precache and the offline pages. Browsers check it for updates on every navigation:
    `no-cache` with an ETag makes an unchanged one a 304 of a few hundred bytes."""
    _root_only(request)
    body = _service_worker_body()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def index(request):
    """What is saved for offline use: the same page for everyone (the service worker serves
    it as the offline fallback to whoever is signed in); the page script lists the saved
    courses of the device's account from IndexedDB."""
    return TemplateResponse(request, "offline/index.html", {})


@require_GET
def strings(request):
    """The offline interface's words (offline/strings.py) as JSON in the URL's language, for
    the page script. The address carries the hash of this JSON (`?v=`): that one is kept for
    a year, unchanged; any other (an old page's) is answered but revalidated."""
    response = HttpResponse(strings_json(), content_type="application/json; charset=utf-8")
    if request.GET.get("v") == strings_version():
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response

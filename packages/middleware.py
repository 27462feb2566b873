"""The package origin serves package files and nothing else; the site serves none of them.

A request to the package origin (`packages.origin.is_package_request`) is answered here,
before the session, CSRF, authentication, messages and offline-account middleware run: no
session is loaded, no cookie is set, and no view of the site (the learner API, the admin,
sign-in) can be reached there, whatever cookies the browser sends. A package's own host
("p-<uuid hex>.<parent>", `packages.origin`) serves that package's player and files only: the
uuid in the path must be the host's, else 404, so one package's pages never run on another's
origin; the offline worker and save page (no uuid in their paths) answer on every package host.
Static files
(`/static/`, the player's script and the vendored H5P runtime) are answered by WhiteNoise
above this middleware on every host. On the site, `/paket/...` is a 404.

It sits below WhiteNoise and the gzip middleware (package scripts and pages are compressed like
the site's) and above `SessionMiddleware`.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from packages.origin import (
    PACKAGE_PATH_PREFIX,
    host_package_uuid,
    is_package_request,
    per_package_hosts,
)

#: The URL namespace of the views the package origin serves (packages/urls.py).
PACKAGE_NAMESPACE = "packages"


def not_found(request: HttpRequest) -> HttpResponse:
    """A plain 404 of the package origin: no site template (it would render the menu, the
    account and a CSRF token for a host that has none)."""
    return HttpResponseNotFound(
        _("Not found. This address serves the files of e-learning packages only."),
        content_type="text/plain; charset=utf-8",
    )


class PackageOriginMiddleware:
    """Answers package-origin requests with the package views only; 404s `/paket/` on the site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_package_request(request):
            request.is_package_request = True
            return self.package_response(request)
        if request.path_info.startswith(PACKAGE_PATH_PREFIX):
            raise Http404(_("Package files are served from their own address, not the site's."))
        return self.get_response(request)

    def package_response(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PACKAGE_PATH_PREFIX):
            return not_found(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return not_found(request)
        if PACKAGE_NAMESPACE not in match.namespaces:
            return not_found(request)
        if per_package_hosts():
            host_uuid = host_package_uuid(request)
            if host_uuid is None:  # a host under the package parent, but no package's
                return not_found(request)
            if "uuid" in match.kwargs and match.kwargs["uuid"] != host_uuid:
                return not_found(request)
        try:
            return match.func(request, *match.args, **match.kwargs)
        except Http404:
            return not_found(request)

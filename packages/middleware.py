"""The package origin serves package files and nothing else; the site serves none of them.

A request to the package origin (`packages.origin.is_package_request`) is answered here,
before the session, CSRF, authentication, messages and offline-account middleware run: no
session is loaded, no cookie is set, and no view of the site (the learner API, the admin,
sign-in) can be reached there, whatever cookies the browser sends. Static files
(`/static/`, the player's script and the vendored H5P runtime) are answered by WhiteNoise
above this middleware on every host. On the site, `/paket/...` is a 404.

It sits below WhiteNoise and the gzip middleware (package scripts and pages are compressed like
the site's) and above `SessionMiddleware`.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from packages.origin import PACKAGE_PATH_PREFIX, is_package_request

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
        try:
            return match.func(request, *match.args, **match.kwargs)
        except Http404:
            return not_found(request)

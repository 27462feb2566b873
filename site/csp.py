"""Content Security Policy: strict on the site, relaxed only where the Wagtail admin needs it.

The public site and the learner pages run no inline script or style, so
`CONTENT_SECURITY_POLICY` (django-csp) allows neither. Wagtail's admin still writes inline
scripts (inline panels, date pickers) and inline styles, so its URLs get
`LENTERA_ADMIN_CONTENT_SECURITY_POLICY` instead. Swapping the policy by path here, rather than
decorating views, also covers admin URLs that apps register through Wagtail hooks and the page
previews the admin frames (Wagtail renders those through the middleware a second time, with a
dummy request for the page's public URL).
"""

from functools import cache

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

from packages.origin import package_origins_source


@cache
def admin_path_prefix() -> str:
    """Where the Wagtail admin is mounted (`/admin/`)."""
    return reverse("wagtailadmin_home")


def in_admin(request: HttpRequest) -> bool:
    """Whether the response is shown in the admin: an admin URL, or a page that Wagtail renders
    for a preview or a moderation view through a dummy request with the page's own URL."""
    return getattr(request, "is_dummy", False) or request.path_info.startswith(admin_path_prefix())


class LenteraCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin policy under the admin's URL prefix.

    A policy set on a view with django-csp's `@csp` decorator still wins.
    """

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and in_admin(request):
            parts.config = settings.LENTERA_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            # A nonce in script-src would make browsers ignore 'unsafe-inline'.
            parts.nonce = None
        if not report_only and not getattr(request, "is_package_request", False):
            # Package lessons (and their admin previews) frame the player on the package's
            # own origin, and saving a course for offline frames each package's save page:
            # every package origin ("https://*.paket.example.go.id"), nothing else
            # (packages/origin.py).
            source = package_origins_source(request)
            if source:
                parts.update = (parts.update or {}) | {"frame-src": [source]}
        return parts

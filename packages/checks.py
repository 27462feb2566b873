"""System checks of the package origin (`manage.py check`, and `check --deploy` in production).

A package is someone else's JavaScript: deployed, it must run on an origin of its own that no
cookie of the site reaches, and each package on an origin of its own (a wildcard
`LENTERA_PACKAGE_ORIGIN`, "https://*.paket.example.go.id"), so that no package shares storage
or a service worker with another. The loopback twin (`packages.origin`) only works on a
developer's machine, so a deployment without `LENTERA_PACKAGE_ORIGIN` cannot play packages.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host

from packages.origin import WILDCARD, configured_origin, origin_pattern, site_host

HINT = (
    "Set LENTERA_PACKAGE_ORIGIN to a wildcard origin under the site's registrable domain, "
    "e.g. https://*.paket.example.go.id for a site at lentera.example.go.id (every package "
    "then has a host of its own, p-<uuid hex>.paket.example.go.id), add .paket.example.go.id "
    "to ALLOWED_HOSTS, give it wildcard DNS and TLS and point it at the same server; see the "
    "README, 'SCORM and H5P packages'."
)
#: A package host standing for all of them in the checks (a nil uuid's label).
SAMPLE_PACKAGE = "00000000-0000-0000-0000-000000000000"


def _cookie_covers(domain: str | None, host: str) -> bool:
    """Whether a cookie set with this Domain attribute is sent to `host`."""
    if not domain:
        return False
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


def origin_format_errors() -> list[Error]:
    """LENTERA_PACKAGE_ORIGIN, when set, is a bare http(s) origin, its host possibly starting
    with one wildcard label ("https://*.paket.example.go.id") over a parent of two labels or
    more."""
    origin = configured_origin()
    if not origin:
        return []
    parts = urlsplit(origin)
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not one)
        host = parts.hostname or ""
    except ValueError:
        host = ""
    parent = host.removeprefix(WILDCARD)
    labels = parent.split(".")
    if (
        parts.scheme not in ("http", "https")
        or not host
        or parts.path
        or parts.query
        or parts.fragment
        or "*" in parent
        or (host.startswith(WILDCARD) and (len(labels) < 2 or not all(labels)))
    ):
        return [
            Error(
                f"LENTERA_PACKAGE_ORIGIN {origin!r} is not an origin (scheme and host, no "
                "path) or a wildcard origin (one '*.' label first, under a domain of two labels "
                "or more).",
                hint="For example: https://*.paket.example.go.id",
                id="packages.E002",
            )
        ]
    return []


@register(Tags.security)
def check_package_origin_format(app_configs, **kwargs) -> list[Error]:
    return origin_format_errors()


@register(Tags.security, deploy=True)
def check_package_origin_deployed(app_configs, **kwargs) -> list[Error]:
    """In a deployment: the package origin is set, is another host than the site's, is served
    (ALLOWED_HOSTS), takes HTTPS, and no site cookie or trusted CSRF origin covers it; a fixed
    origin (no wildcard, all packages sharing it) is warned about."""
    origin = configured_origin()
    if not origin:
        return [
            Error(
                "LENTERA_PACKAGE_ORIGIN is not set: SCORM and H5P lessons cannot be played "
                "(their files are never served from the site's own origin).",
                hint=HINT,
                id="packages.E001",
            )
        ]
    if origin_format_errors():
        return []  # reported by check_package_origin_format
    parts = urlsplit(origin)
    pattern = origin_pattern()
    # A package's host (p-<hex>.<parent> with a wildcard): what holds for it holds for all.
    host = pattern.package_host(SAMPLE_PACKAGE)
    shown = f"*.{pattern.host}" if pattern.wildcard else host
    errors = []
    site = site_host()
    if site == host or (pattern.wildcard and site.partition(".")[2] == pattern.host):
        errors.append(
            Error(
                f"LENTERA_PACKAGE_ORIGIN {origin} covers the site's own host {site} (BASE_URL): "
                "package scripts would share the site's cookies, and the site would not be "
                "served there.",
                hint=HINT,
                id="packages.E003",
            )
        )
    if not validate_host(host, settings.ALLOWED_HOSTS):
        wanted = f".{pattern.host}" if pattern.wildcard else host
        errors.append(
            Error(
                f"The package hosts {shown} are not in ALLOWED_HOSTS: their requests would be "
                "refused.",
                hint=f"Add {wanted} to ALLOWED_HOSTS.",
                id="packages.E004",
            )
        )
    for setting in ("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN", "LANGUAGE_COOKIE_DOMAIN"):
        domain = getattr(settings, setting, None)
        if _cookie_covers(domain, host):
            errors.append(
                Error(
                    f"{setting} {domain!r} covers the package hosts {shown}: package "
                    "scripts would receive that cookie.",
                    hint=f"Leave {setting} unset, or use a package host outside {domain}.",
                    id="packages.E005",
                )
            )
    trusted = {value.rstrip("/").lower() for value in settings.CSRF_TRUSTED_ORIGINS}
    package_origin = f"{parts.scheme}://{host}" + (f":{pattern.port}" if pattern.port else "")
    if (
        origin.lower() in trusted
        or package_origin in trusted
        or any(
            value.startswith(f"{parts.scheme}://*.")
            and _cookie_covers(value.split("*.", 1)[1], host)
            for value in trusted
        )
    ):
        errors.append(
            Error(
                f"CSRF_TRUSTED_ORIGINS trusts the package origins {origin}: a package could "
                "post to the site as the learner.",
                hint="Remove the package origin from CSRF_TRUSTED_ORIGINS.",
                id="packages.E006",
            )
        )
    if parts.scheme != "https":
        errors.append(
            Error(
                f"LENTERA_PACKAGE_ORIGIN {origin} is not HTTPS: browsers block its frames on an "
                "HTTPS site, and its files could be altered on the way.",
                hint=HINT,
                id="packages.E007",
            )
        )
    if not pattern.wildcard:
        errors.append(
            Warning(
                f"LENTERA_PACKAGE_ORIGIN {origin} is one origin for every package: packages share "
                "its Cache Storage, local storage and service worker, so a hostile package can "
                "plant pages there that another package's lessons (saved for offline use) run.",
                hint=HINT,
                id="packages.W010",
            )
        )
    return errors


# The cookies a script on another host of the same site could toss (set with a Domain covering
# the site) and the site would then take as its own: the prefixes of their *_NAME, *_SECURE,
# *_DOMAIN and *_PATH settings.
TOSSABLE_COOKIES = ("SESSION_COOKIE", "CSRF_COOKIE", "LANGUAGE_COOKIE")
HOST_PREFIX = "__Host-"


def _is_ip(host: str) -> bool:
    return host.replace(".", "").isdigit() or ":" in host


def possibly_same_site(host: str, other: str) -> bool:
    """Whether two hosts may be one site (same registrable domain). Without the public suffix
    list this errs towards yes: two names sharing their last two labels or more
    (paket.example.go.id and lentera.example.go.id; also kominfo.go.id and pu.go.id, whose
    registrable domains differ) count as the same site."""
    host, other = host.lower().rstrip("."), other.lower().rstrip(".")
    if host == other:
        return True
    if _is_ip(host) or _is_ip(other):
        return False
    labels, other_labels = host.split("."), other.split(".")
    shared = 0
    while (
        shared < min(len(labels), len(other_labels))
        and labels[-1 - shared] == other_labels[-1 - shared]
    ):
        shared += 1
    return shared >= 2


@register(Tags.security)
def check_host_prefixed_cookies(app_configs, **kwargs) -> list[Error]:
    """A "__Host-" cookie is kept by the browser only when Secure, with Path=/ and no Domain:
    otherwise nobody could sign in."""
    errors = []
    for cookie in TOSSABLE_COOKIES:
        name_setting, secure_setting = f"{cookie}_NAME", f"{cookie}_SECURE"
        domain_setting, path_setting = f"{cookie}_DOMAIN", f"{cookie}_PATH"
        name = getattr(settings, name_setting, "")
        if not name.startswith(HOST_PREFIX):
            continue
        secure = getattr(settings, secure_setting, False)
        domain = getattr(settings, domain_setting, None)
        path = getattr(settings, path_setting, "/")
        if not secure or domain or path != "/":
            errors.append(
                Error(
                    f"{name_setting} {name!r} needs {secure_setting} = True, "
                    f"{domain_setting} = None and {path_setting} = '/' (it is {secure!r}, "
                    f"{domain!r}, {path!r}): browsers refuse a {HOST_PREFIX} cookie otherwise.",
                    hint=f"Fix those settings, or (without HTTPS) drop the {HOST_PREFIX} prefix.",
                    id="packages.E009",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_cookies_against_tossing(app_configs, **kwargs) -> list[Warning]:
    """With the package origin on the site's own registrable domain (as recommended, so the
    package frame keeps its storage), a package's script can set cookies for the whole domain
    that the site receives: the site's session, CSRF and language cookies must be "__Host-"
    cookies, which no other host can set."""
    origin = configured_origin()
    if not origin or origin_format_errors():
        return []
    host = origin_pattern().package_host(SAMPLE_PACKAGE)
    if not possibly_same_site(host, site_host()):
        return []
    warnings = []
    for cookie in TOSSABLE_COOKIES:
        name_setting = f"{cookie}_NAME"
        name = getattr(settings, name_setting, "")
        if not name.startswith(HOST_PREFIX):
            warnings.append(
                Warning(
                    f"{name_setting} {name!r} has no {HOST_PREFIX} prefix while the package "
                    f"origin {origin} may be on the site's own registrable domain: a package's "
                    "script could set that cookie for the whole domain (cookie tossing: a "
                    "session or CSRF token of its choosing).",
                    hint=f"Name it {HOST_PREFIX}{name.removeprefix(HOST_PREFIX) or 'cookie'} "
                    "(Secure, Path=/, no Domain), as lentera.settings.production does.",
                    id="packages.W008",
                )
            )
    return warnings

"""Template helpers shared by every page."""

from decimal import Decimal
from functools import cache as once
from urllib.parse import unquote, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_info, override

register = template.Library()


@register.simple_tag
def csrf_cookie_name() -> str:
    """The CSRF cookie's name (base.html's `<meta name="lentera-csrf-cookie">`): production
    prefixes it `__Host-`, so the page script must not assume Django's "csrftoken"."""
    return settings.CSRF_COOKIE_NAME


# The links of every page's header and footer (base.html), by name in `site_urls`.
SITE_URLS = {
    "search": "search:search",
    "my_learning": "learners:my_learning",
    "communities": "discussions:communities",
    "cohorts": "cohorts:dashboard",
    "compliance": "compliance:index",
    "profile": "learners:profile",
    "notifications": "notifications:list",
    "sign_out": "account_logout",
    "sign_in": "account_login",
    "sign_up": "account_signup",
    "feedback": "evaluation:feedback_index",
    "gallery": "projects:gallery",
    "privacy": "privacy:notice",
    "offline": "offline:index",
}
# The site's own sections, as Wagtail serves them: empty where the URLs have no such path.
SITE_SECTIONS = {"home_url": "", "catalog_url": "katalog/", "library_url": "pustaka/"}


@register.simple_tag(takes_context=True)
def site_urls(context) -> str:
    """Put the header's and footer's links in the context: `home_url`, `catalog_url` and
    `library_url` (as `{% url ... as %}` would), and `site_urls` (`SITE_URLS` by name). They
    are the same on every page in a language, so they are reversed once per language per
    process rather than fifteen `{% url %}` on every page (0.3 ms of each)."""
    urls = _site_urls(
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        settings.ROOT_URLCONF,
        # Which language goes without a prefix in the paths.
        settings.LANGUAGE_CODE,
    )
    for name, value in urls.items():
        context[name] = value
    return ""


@once
def _site_urls(language, script_prefix, urlconf, root_urlconf, default_language) -> dict:
    # The arguments are the cache's key: what `reverse` reads besides the names.
    urls = {}
    for name, path in SITE_SECTIONS.items():
        try:
            urls[name] = reverse("wagtail_serve", args=[path])
        except NoReverseMatch:
            urls[name] = ""
    urls["site_urls"] = {key: reverse(name) for key, name in SITE_URLS.items()}
    return urls


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Links to the current page in every interface language (plain links: no form, no JS)."""
    request = context["request"]
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    # A path that starts with two slashes (a request for //evil.example/, answered by the 404
    # page) would read as a protocol-relative link to another host: collapse the leading
    # slashes, so that the links are always paths on this site.
    path = "/" + request.get_full_path().lstrip("/")
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = _translated(request, path, code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else "/",
                "current": code == current,
            }
        )
    return links


def _translated(request, path: str, code: str) -> str:
    """`translate_url(path, code)` without resolving the path again when it is the request's
    own (resolved already: two resolutions through every URL pattern saved on every page)."""
    match = getattr(request, "resolver_match", None)
    parsed = urlsplit(path)
    if match is None or match.url_name is None or unquote(parsed.path) != request.path_info:
        return translate_url(path, code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(code):
        try:
            translated = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return path
    return urlunsplit(("", "", translated, parsed.query, parsed.fragment))


@register.filter
def plain_number(value) -> str:
    """A decimal without trailing zeros, in the active language's format: 2.50 -> "2,5" (id)."""
    if value in (None, ""):
        return ""
    number = Decimal(value).normalize()
    return number_format(number, decimal_pos=max(0, -number.as_tuple().exponent))

"""Cookie tossing: with the package origin on the site's registrable domain (paket.example.go.id
beside lentera.example.go.id), a package's script can set a cookie for the whole domain that the
site receives. Production names the site's cookies "__Host-" (no other host can set those), and
the deployment check warns when they are not."""

import pytest
from django.template import Context, Template

from packages import checks
from tests.security.test_headers import production_environment, settings_in_subprocess


@pytest.fixture
def deployed(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", "paket.example.go.id"]
    settings.LENTERA_PACKAGE_ORIGIN = "https://paket.example.go.id"
    for cookie, name in (
        ("SESSION_COOKIE", "__Host-sessionid"),
        ("CSRF_COOKIE", "__Host-csrftoken"),
        ("LANGUAGE_COOKIE", "__Host-django_language"),
    ):
        setattr(settings, f"{cookie}_NAME", name)
        setattr(settings, f"{cookie}_SECURE", True)
        setattr(settings, f"{cookie}_DOMAIN", None)
        setattr(settings, f"{cookie}_PATH", "/")
    return settings


def _ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_production_names_the_sites_cookies_host_only():
    values = settings_in_subprocess(
        production_environment(),
        *[
            f"{cookie}_{part}"
            for cookie in checks.TOSSABLE_COOKIES
            for part in ("NAME", "SECURE", "DOMAIN", "PATH")
        ],
    )

    assert values == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "LANGUAGE_COOKIE_NAME": "__Host-django_language",
        **{f"{cookie}_SECURE": True for cookie in checks.TOSSABLE_COOKIES},
        **{f"{cookie}_DOMAIN": None for cookie in checks.TOSSABLE_COOKIES},
        **{f"{cookie}_PATH": "/" for cookie in checks.TOSSABLE_COOKIES},
    }


def test_host_prefixed_cookies_on_a_same_site_package_origin_pass(deployed):
    assert checks.check_cookies_against_tossing(None) == []
    assert checks.check_host_prefixed_cookies(None) == []


@pytest.mark.parametrize("cookie", checks.TOSSABLE_COOKIES)
def test_a_cookie_without_the_prefix_is_a_warning_when_the_package_origin_is_same_site(
    deployed, cookie
):
    setattr(deployed, f"{cookie}_NAME", "plain")

    warnings = checks.check_cookies_against_tossing(None)

    assert _ids(warnings) == ["packages.W008"]
    assert f"{cookie}_NAME" in warnings[0].msg


def test_a_package_origin_on_another_site_needs_no_prefix(deployed):
    deployed.ALLOWED_HOSTS = ["lentera.example.go.id", "paket.example.org"]
    deployed.LENTERA_PACKAGE_ORIGIN = "https://paket.example.org"
    deployed.SESSION_COOKIE_NAME = "sessionid"

    assert checks.check_cookies_against_tossing(None) == []


@pytest.mark.parametrize(
    ("host", "other", "same"),
    [
        ("paket.example.go.id", "lentera.example.go.id", True),
        ("paket.lentera.localhost", "lentera.localhost", True),
        ("lentera.go.id", "lentera.go.id", True),
        ("paket.example.org", "lentera.example.go.id", False),
        ("127.0.0.1", "localhost", False),
        ("10.0.0.2", "10.0.0.1", False),
    ],
)
def test_same_site_errs_towards_yes(host, other, same):
    assert checks.possibly_same_site(host, other) is same


@pytest.mark.parametrize(
    ("part", "value"), [("SECURE", False), ("DOMAIN", ".example.go.id"), ("PATH", "/id/")]
)
@pytest.mark.parametrize("cookie", checks.TOSSABLE_COOKIES)
def test_a_host_cookie_the_browser_would_refuse_is_an_error(deployed, cookie, part, value):
    setattr(deployed, f"{cookie}_{part}", value)

    errors = checks.check_host_prefixed_cookies(None)

    assert _ids(errors) == ["packages.E009"]
    assert f"{cookie}_NAME" in errors[0].msg


def test_development_keeps_djangos_names_over_http(settings):
    """`make run` is plain HTTP: a Secure-only "__Host-" cookie would never be stored."""
    assert not settings.SESSION_COOKIE_NAME.startswith("__Host-")
    assert not settings.CSRF_COOKIE_NAME.startswith("__Host-")
    assert checks.check_host_prefixed_cookies(None) == []


def test_the_page_names_its_csrf_cookie_for_the_page_script(settings):
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    rendered = Template("{% load lentera_tags %}{% csrf_cookie_name %}").render(Context())
    assert rendered == "__Host-csrftoken"


@pytest.mark.django_db
def test_every_page_carries_the_csrf_cookie_name(client, settings):
    settings.CSRF_COOKIE_NAME = "x-csrf"
    from wagtail.models import Site

    page = client.get(Site.objects.get(is_default_site=True).root_page.url)
    assert '<meta name="lentera-csrf-cookie" content="x-csrf">' in page.content.decode()

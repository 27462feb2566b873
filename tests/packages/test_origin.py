"""The package origin: which host serves packages (the setting, or the loopback twin of the
site's), what it serves (package URLs and static files only, without a session or a cookie),
what the site no longer serves (/paket/), and the deployment checks of the setting."""

import pytest
from django.test import RequestFactory

from packages import checks
from packages.factories import PackageFactory
from packages.origin import (
    is_package_request,
    package_origin,
    package_urls,
    site_origin,
)

PACKAGE_HOST = "127.0.0.1"  # the loopback twin of the test client's "testserver"


def request_at(host: str, *, secure: bool = False):
    return RequestFactory().get("/", HTTP_HOST=host, secure=secure)


@pytest.fixture
def dev_site(settings):
    """`make run`: the site at http://127.0.0.1:8000, LENTERA_PACKAGE_ORIGIN unset."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    settings.LENTERA_PACKAGE_ORIGIN = ""
    return settings


@pytest.fixture
def deployed(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", "paket.example.go.id"]
    settings.LENTERA_PACKAGE_ORIGIN = "https://paket.example.go.id"
    return settings


# The loopback twin


def test_the_site_on_127_0_0_1_gets_its_packages_from_localhost(dev_site):
    site = request_at("127.0.0.1:8000")

    assert not is_package_request(site)
    assert package_origin(site) == "http://localhost:8000"
    assert site_origin(site) == "http://127.0.0.1:8000"
    assert is_package_request(request_at("localhost:8000"))


def test_the_site_on_localhost_gets_its_packages_from_127_0_0_1(settings):
    """The browser tests' live server is at localhost."""
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8123"
    site = request_at("localhost:8123")

    assert not is_package_request(site)
    assert package_origin(site) == "http://127.0.0.1:8123"
    assert is_package_request(request_at("127.0.0.1:8123"))
    # On the player page (package origin), the site origin it may talk to:
    assert site_origin(request_at("127.0.0.1:8123")) == "http://localhost:8123"


def test_the_twin_follows_the_port_the_request_came_to(dev_site):
    assert package_origin(request_at("127.0.0.1:8101")) == "http://localhost:8101"
    assert site_origin(request_at("localhost:8101")) == "http://127.0.0.1:8101"


def test_the_test_client_twin():
    site = request_at("testserver")

    assert package_origin(site) == "http://127.0.0.1"
    assert is_package_request(request_at(PACKAGE_HOST))
    assert not is_package_request(site)


def test_a_development_server_reached_by_another_name_plays_no_package(dev_site):
    """The loopback twin needs a loopback name: from a LAN address there is no twin to use."""
    dev_site.ALLOWED_HOSTS = ["192.168.1.20", "127.0.0.1", "localhost"]
    lan = request_at("192.168.1.20:8000")

    assert package_origin(lan) is None
    assert not is_package_request(lan)


def test_a_site_on_a_real_host_without_the_setting_plays_no_package(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", "localhost", "127.0.0.1"]
    settings.LENTERA_PACKAGE_ORIGIN = ""

    assert package_origin(request_at("lentera.example.go.id", secure=True)) is None
    # Nor do the loopback names become package hosts there.
    assert not is_package_request(request_at("localhost"))
    assert not is_package_request(request_at("127.0.0.1"))


def test_wagtails_preview_requests_are_the_sites(settings):
    """Wagtail renders previews through a dummy request with its site's host ("localhost"
    before `site_identity` runs), which may be the twin: it is still the site's request."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    dummy = request_at("localhost")
    dummy.is_dummy = True

    assert not is_package_request(dummy)


# The setting


def test_the_set_origin_is_the_package_host_on_its_port_only(deployed):
    assert is_package_request(request_at("paket.example.go.id", secure=True))
    assert is_package_request(request_at("paket.example.go.id:443", secure=True))
    assert is_package_request(request_at("PAKET.example.go.id", secure=True))
    deployed.ALLOWED_HOSTS = [*deployed.ALLOWED_HOSTS, "paket.example.go.id:8443"]
    assert not is_package_request(request_at("paket.example.go.id:8443", secure=True))
    assert not is_package_request(request_at("lentera.example.go.id", secure=True))


def test_with_the_setting_the_origins_are_the_settings(deployed):
    site = request_at("lentera.example.go.id", secure=True)
    deployed.LENTERA_PACKAGE_ORIGIN = "https://paket.example.go.id/"  # a trailing slash is fine

    assert package_origin(site) == "https://paket.example.go.id"
    # The site origin is BASE_URL's, whichever host the player page was asked on.
    assert site_origin(request_at("paket.example.go.id", secure=True)) == (
        "https://lentera.example.go.id"
    )
    # The loopback names are nothing special any more.
    assert not is_package_request(request_at("lentera.example.go.id", secure=True))


@pytest.mark.django_db
def test_package_urls_are_absolute_on_the_package_origin(deployed):
    package = PackageFactory()

    assert package_urls(request_at("lentera.example.go.id", secure=True), package) == {
        "packageOrigin": "https://paket.example.go.id",
        "playerUrl": f"https://paket.example.go.id/paket/{package.uuid}/putar/",
        "filesUrl": f"https://paket.example.go.id/paket/{package.uuid}/f/",
    }


@pytest.mark.django_db
def test_package_urls_are_none_where_packages_cannot_play(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id"]
    package = PackageFactory()

    assert package_urls(request_at("lentera.example.go.id", secure=True), package) == {
        "packageOrigin": None,
        "playerUrl": None,
        "filesUrl": None,
    }


# What each host serves


@pytest.fixture
def package(db):
    return PackageFactory()


@pytest.fixture
def signed_in(client, db):
    """A client with a learner's session: the package origin must ignore it."""
    from learners.factories import UserFactory

    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api/v1/me/enrollments",
        "/api/v1/me/csrf-token",
        "/admin/",
        "/accounts/login/",
        "/katalog/",
        "/saya/",
        "/healthz",
        "/media/packages/x",
        "/paket/",
        "/paket/not-a-uuid/putar/",
    ],
)
def test_the_package_origin_serves_nothing_of_the_site(signed_in, path):
    response = signed_in.get(path, HTTP_HOST=PACKAGE_HOST)

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.cookies


def test_the_package_origin_answers_no_post_to_the_api(signed_in):
    response = signed_in.post(
        "/api/v1/courses/1/enrollment", {}, content_type="application/json", HTTP_HOST=PACKAGE_HOST
    )

    assert response.status_code == 404
    assert not response.cookies


def test_the_package_origin_sets_no_cookie_where_the_site_would(client, db):
    """The sign-in page sets the CSRF cookie on the site; on the package origin it is not there,
    and a package's own page sets none either (no session, CSRF, messages or language)."""
    site = client.get("/accounts/login/")
    assert "csrftoken" in site.cookies  # the comparison means something

    assert not client.get("/accounts/login/", HTTP_HOST=PACKAGE_HOST).cookies


def test_package_pages_set_no_cookie_for_a_signed_in_learner(signed_in, package):
    for path in (f"/paket/{package.uuid}/putar/", f"/paket/{package.uuid}/f/imsmanifest.xml"):
        response = signed_in.get(path, HTTP_HOST=PACKAGE_HOST)

        assert response.status_code == 200, path
        assert not response.cookies, path
        assert "Cookie" not in response.get("Vary", ""), path


def test_the_package_origin_serves_static_files(client, db):
    response = client.get("/static/js/package-player.js", HTTP_HOST=PACKAGE_HOST)

    assert response.status_code == 200
    assert not response.cookies


def test_the_site_serves_no_package(signed_in, package):
    for path in (
        f"/paket/{package.uuid}/putar/",
        f"/paket/{package.uuid}/f/imsmanifest.xml",
        "/paket/sw.js",
        "/paket/simpan/",
    ):
        assert signed_in.get(path).status_code == 404, path


def test_without_a_package_origin_no_host_serves_packages(settings, client, package):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", "127.0.0.1", "localhost", "testserver"]

    for host in ("lentera.example.go.id", "127.0.0.1", "localhost", "testserver"):
        response = client.get(f"/paket/{package.uuid}/putar/", HTTP_HOST=host, secure=True)
        assert response.status_code == 404, host


def test_the_set_origin_serves_packages_and_the_site_does_not(deployed, client, package):
    player = f"/paket/{package.uuid}/putar/"

    assert client.get(player, HTTP_HOST="paket.example.go.id", secure=True).status_code == 200
    assert client.get(player, HTTP_HOST="lentera.example.go.id", secure=True).status_code == 404
    assert (
        client.get(
            "/api/v1/me/enrollments", HTTP_HOST="paket.example.go.id", secure=True
        ).status_code
    ) == 404


# Deployment checks


def _ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_the_deployment_check_asks_for_the_package_origin(settings):
    settings.LENTERA_PACKAGE_ORIGIN = ""

    errors = checks.check_package_origin_deployed(None)

    assert _ids(errors) == ["packages.E001"]
    assert "LENTERA_PACKAGE_ORIGIN" in errors[0].msg


def test_a_well_set_package_origin_passes_the_deployment_checks(deployed):
    assert checks.check_package_origin_deployed(None) == []
    assert checks.check_package_origin_format(None) == []


@pytest.mark.parametrize(
    "origin", ["paket.example.go.id", "https://paket.example.go.id/paket/", "ftp://paket.go.id"]
)
def test_a_package_origin_that_is_not_an_origin_is_refused_everywhere(deployed, origin):
    deployed.LENTERA_PACKAGE_ORIGIN = origin

    assert _ids(checks.check_package_origin_format(None)) == ["packages.E002"]
    assert checks.check_package_origin_deployed(None) == []  # reported once


def test_the_package_origin_may_not_be_the_sites_host(deployed):
    deployed.LENTERA_PACKAGE_ORIGIN = "https://lentera.example.go.id:8443"
    deployed.ALLOWED_HOSTS = ["lentera.example.go.id"]

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E003"]


def test_the_package_host_must_be_allowed(deployed):
    deployed.ALLOWED_HOSTS = ["lentera.example.go.id"]

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E004"]


@pytest.mark.parametrize(
    "setting", ["SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN", "LANGUAGE_COOKIE_DOMAIN"]
)
def test_no_site_cookie_may_cover_the_package_host(deployed, setting):
    setattr(deployed, setting, ".example.go.id")

    errors = checks.check_package_origin_deployed(None)

    assert _ids(errors) == ["packages.E005"]
    assert setting in errors[0].msg


def test_a_cookie_domain_of_another_branch_is_fine(deployed):
    deployed.SESSION_COOKIE_DOMAIN = "lentera.example.go.id"

    assert checks.check_package_origin_deployed(None) == []


@pytest.mark.parametrize("trusted", ["https://paket.example.go.id", "https://*.example.go.id"])
def test_the_package_origin_may_not_be_a_trusted_csrf_origin(deployed, trusted):
    deployed.CSRF_TRUSTED_ORIGINS = [trusted]

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E006"]


def test_the_package_origin_takes_https_in_a_deployment(deployed):
    deployed.LENTERA_PACKAGE_ORIGIN = "http://paket.example.go.id"

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E007"]


def test_a_preview_frames_the_twin_of_the_sites_address(settings):
    """The preview's dummy request has Wagtail's site host, not the browser's: the player comes
    from the twin of BASE_URL's host."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    dummy = request_at("localhost")
    dummy.is_dummy = True

    assert package_origin(dummy) == "http://localhost:8000"


def test_the_format_check_is_silent_without_the_setting(settings):
    settings.LENTERA_PACKAGE_ORIGIN = ""

    assert checks.check_package_origin_format(None) == []


def test_an_ipv6_site_has_no_twin(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://[::1]:8000"
    settings.ALLOWED_HOSTS = ["[::1]"]

    assert package_origin(request_at("[::1]:8000")) is None
    assert not is_package_request(request_at("[::1]:8000"))


def test_a_refused_host_has_no_package_origin(dev_site):
    """A request with a host outside ALLOWED_HOSTS is answered 400; the site's policy, written
    on that answer too, must not fail on it."""
    dev_site.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

    assert package_origin(request_at("evil.example.com")) is None


def test_a_refused_host_is_answered_400(client, db):
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400

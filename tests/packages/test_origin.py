"""The package origins: which host serves each package (the setting, a wildcard giving every
package a host of its own, or the loopback twin's p-<hex>.localhost), what it serves (its own
package's URLs and static files only, without a session or a cookie), what the site no longer
serves (/paket/), and the deployment checks of the setting."""

from uuid import UUID, uuid4

import pytest
from django.test import RequestFactory

from packages import checks
from packages.factories import PackageFactory
from packages.origin import (
    host_package_uuid,
    is_package_request,
    package_origin,
    package_origins_source,
    package_urls,
    site_origin,
)

UUID_A = UUID("0123456789abcdef0123456789abcdef")
HEX_A = "0123456789abcdef0123456789abcdef"


def package_host(package) -> str:
    """The loopback twin's host of a package for the test client ("testserver" is the site)."""
    return f"p-{getattr(package, 'uuid', package).hex}.localhost"


#: A package host of no stored package.
PACKAGE_HOST = package_host(uuid4())


def request_at(host: str, *, secure: bool = False):
    return RequestFactory().get("/", HTTP_HOST=host, secure=secure)


@pytest.fixture
def dev_site(settings):
    """`make run`: the site at http://127.0.0.1:8000, LENTERA_PACKAGE_ORIGIN unset."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    settings.LENTERA_PACKAGE_ORIGIN = ""
    settings.ALLOWED_HOSTS = [".localhost", "127.0.0.1"]
    return settings


@pytest.fixture
def deployed(settings):
    """Production as recommended: one origin per package under a wildcard."""
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", ".paket.example.go.id"]
    settings.LENTERA_PACKAGE_ORIGIN = "https://*.paket.example.go.id"
    return settings


@pytest.fixture
def fixed(settings):
    """A deployment without wildcard DNS or TLS: one package origin shared by all packages."""
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", "paket.example.go.id"]
    settings.LENTERA_PACKAGE_ORIGIN = "https://paket.example.go.id"
    return settings


# The loopback twin


def test_the_site_on_127_0_0_1_gets_each_package_from_its_own_localhost_subdomain(dev_site):
    site = request_at("127.0.0.1:8000")

    assert not is_package_request(site)
    assert package_origin(site, UUID_A) == f"http://p-{HEX_A}.localhost:8000"
    assert package_origins_source(site) == "http://*.localhost:8000"
    assert site_origin(site) == "http://127.0.0.1:8000"
    assert is_package_request(request_at(f"p-{HEX_A}.localhost:8000"))
    assert host_package_uuid(request_at(f"p-{HEX_A}.localhost:8000")) == UUID_A
    # localhost itself is a name of the site now, not a package host.
    assert not is_package_request(request_at("localhost:8000"))


def test_the_site_on_localhost_gets_its_packages_from_localhost_subdomains(settings):
    """The browser tests' live server is at localhost."""
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8123"
    site = request_at("localhost:8123")

    assert not is_package_request(site)
    assert package_origin(site, UUID_A) == f"http://p-{HEX_A}.localhost:8123"
    # On the player page (package origin), the site origin it may talk to:
    assert site_origin(request_at(f"p-{HEX_A}.localhost:8123")) == "http://localhost:8123"


def test_the_other_loopback_name_plays_no_package(dev_site):
    """The player answers BASE_URL's origin only: the site reached as localhost while BASE_URL
    says 127.0.0.1 cannot play packages (the lesson page says so) rather than failing."""
    assert package_origin(request_at("localhost:8000"), UUID_A) is None
    assert package_origins_source(request_at("localhost:8000")) is None


def test_the_package_host_follows_the_port_the_request_came_to(dev_site):
    assert package_origin(request_at("127.0.0.1:8101"), UUID_A) == (
        f"http://p-{HEX_A}.localhost:8101"
    )
    assert site_origin(request_at(f"p-{HEX_A}.localhost:8101")) == "http://127.0.0.1:8101"


def test_the_test_client_twin():
    site = request_at("testserver")

    assert package_origin(site, UUID_A) == f"http://p-{HEX_A}.localhost"
    assert is_package_request(request_at(PACKAGE_HOST))
    assert not is_package_request(site)


@pytest.mark.parametrize("host", ["p-nothex.localhost", "www.localhost", f"x.p-{HEX_A}.localhost"])
def test_a_host_under_localhost_without_a_package_label_is_a_package_host_of_no_package(
    dev_site, host
):
    """Every name under localhost is a package host (never the site); only p-<32 hex> one
    label under it names a package."""
    assert is_package_request(request_at(host))
    assert host_package_uuid(request_at(host)) is None


@pytest.mark.parametrize("host", ["localhost.", "localhost"])
def test_localhost_itself_is_no_package_host(dev_site, host):
    assert not is_package_request(request_at(host))


def test_a_trailing_dot_names_the_same_development_package_host(dev_site):
    assert host_package_uuid(request_at(f"p-{HEX_A}.localhost.:8000")) == UUID_A


def test_a_development_server_reached_by_another_name_plays_no_package(dev_site):
    """The loopback twin needs a loopback name: from a LAN address there is none to use."""
    dev_site.ALLOWED_HOSTS = ["192.168.1.20", "127.0.0.1", ".localhost"]
    lan = request_at("192.168.1.20:8000")

    assert package_origin(lan, UUID_A) is None
    assert package_origins_source(lan) is None
    assert not is_package_request(lan)


def test_a_site_on_a_real_host_without_the_setting_plays_no_package(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", ".localhost", "127.0.0.1"]
    settings.LENTERA_PACKAGE_ORIGIN = ""

    assert package_origin(request_at("lentera.example.go.id", secure=True), UUID_A) is None
    # Nor do the loopback names become package hosts there.
    assert not is_package_request(request_at(f"p-{HEX_A}.localhost"))
    assert not is_package_request(request_at("127.0.0.1"))


def test_wagtails_preview_requests_are_the_sites(settings):
    """Wagtail renders previews through a dummy request with its site's host ("localhost"
    before `site_identity` runs): it is the site's request, whatever the host."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    dummy = request_at(f"p-{HEX_A}.localhost")
    dummy.is_dummy = True

    assert not is_package_request(dummy)


# The setting: a wildcard


def test_the_wildcard_gives_each_package_a_host_of_its_own(deployed):
    site = request_at("lentera.example.go.id", secure=True)

    assert package_origin(site, UUID_A) == f"https://p-{HEX_A}.paket.example.go.id"
    assert package_origins_source(site) == "https://*.paket.example.go.id"
    assert len(f"p-{HEX_A}") <= 63  # a DNS label
    package = request_at(f"p-{HEX_A}.paket.example.go.id", secure=True)
    assert is_package_request(package)
    assert host_package_uuid(package) == UUID_A
    assert site_origin(package) == "https://lentera.example.go.id"
    assert not is_package_request(site)
    assert is_package_request(request_at("paket.example.go.id", secure=True))
    assert host_package_uuid(request_at("paket.example.go.id", secure=True)) is None
    deeper = request_at(f"a.p-{HEX_A}.paket.example.go.id", secure=True)
    assert is_package_request(deeper)
    assert host_package_uuid(deeper) is None


def test_the_wildcard_origin_keeps_its_port(deployed):
    deployed.LENTERA_PACKAGE_ORIGIN = "https://*.paket.example.go.id:8443"

    assert package_origin(request_at("lentera.example.go.id"), UUID_A) == (
        f"https://p-{HEX_A}.paket.example.go.id:8443"
    )
    assert package_origins_source(request_at("x")) == "https://*.paket.example.go.id:8443"
    assert is_package_request(request_at(f"p-{HEX_A}.paket.example.go.id:8443", secure=True))
    assert not is_package_request(request_at(f"p-{HEX_A}.paket.example.go.id", secure=True))


@pytest.mark.parametrize(
    "host",
    [f"p-{HEX_A}.paket.example.go.id.", f"P-{HEX_A.upper()}.PAKET.example.go.id.:443"],
)
def test_a_trailing_dot_or_capitals_name_the_same_package_host(deployed, host):
    request = request_at(host, secure=True)

    assert is_package_request(request)
    assert host_package_uuid(request) == UUID_A


def test_the_fixed_origin_is_the_package_host_on_its_port_only(fixed):
    assert is_package_request(request_at("paket.example.go.id", secure=True))
    assert is_package_request(request_at("paket.example.go.id:443", secure=True))
    assert is_package_request(request_at("PAKET.example.go.id", secure=True))
    assert is_package_request(request_at("paket.example.go.id.", secure=True))
    fixed.ALLOWED_HOSTS = [*fixed.ALLOWED_HOSTS, "paket.example.go.id:8443"]
    assert not is_package_request(request_at("paket.example.go.id:8443", secure=True))
    assert not is_package_request(request_at("lentera.example.go.id", secure=True))
    # Every package shares it; no host names one package.
    assert host_package_uuid(request_at("paket.example.go.id", secure=True)) is None


def test_with_a_fixed_origin_the_origins_are_the_settings(fixed):
    site = request_at("lentera.example.go.id", secure=True)
    fixed.LENTERA_PACKAGE_ORIGIN = "https://paket.example.go.id/"  # a trailing slash is fine

    assert package_origin(site, UUID_A) == "https://paket.example.go.id"
    assert package_origins_source(site) == "https://paket.example.go.id"
    # The site origin is BASE_URL's, whichever host the player page was asked on.
    assert site_origin(request_at("paket.example.go.id", secure=True)) == (
        "https://lentera.example.go.id"
    )


@pytest.mark.django_db
def test_package_urls_are_absolute_on_the_packages_own_origin(deployed):
    package = PackageFactory()
    origin = f"https://p-{package.uuid.hex}.paket.example.go.id"

    assert package_urls(request_at("lentera.example.go.id", secure=True), package) == {
        "packageOrigin": origin,
        "playerUrl": f"{origin}/paket/{package.uuid}/putar/",
        "filesUrl": f"{origin}/paket/{package.uuid}/f/",
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
        response = signed_in.get(path, HTTP_HOST=package_host(package))

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
    settings.ALLOWED_HOSTS = ["lentera.example.go.id", "127.0.0.1", ".localhost", "testserver"]

    for host in (
        "lentera.example.go.id",
        "127.0.0.1",
        "localhost",
        "testserver",
        package_host(package),
    ):
        response = client.get(f"/paket/{package.uuid}/putar/", HTTP_HOST=host, secure=True)
        assert response.status_code == 404, host


def test_the_packages_own_host_serves_it_and_the_site_does_not(deployed, client, package):
    player = f"/paket/{package.uuid}/putar/"
    host = f"p-{package.uuid.hex}.paket.example.go.id"

    assert client.get(player, HTTP_HOST=host, secure=True).status_code == 200
    assert client.get(player, HTTP_HOST="lentera.example.go.id", secure=True).status_code == 404
    # The wildcard's parent, let in by ".paket.example.go.id": a package host of no package.
    parent = client.get(player, HTTP_HOST="paket.example.go.id", secure=True)
    assert parent.status_code == 404
    assert parent["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get("/", HTTP_HOST="paket.example.go.id", secure=True).status_code == 404
    assert client.get("/api/v1/me/enrollments", HTTP_HOST=host, secure=True).status_code == 404


@pytest.mark.parametrize("dev", [True, False], ids=["loopback", "wildcard"])
def test_a_packages_host_serves_no_other_package(request, client, package, dev):
    """One origin per package: package A's host answers 404 for package B's player and files
    (a page of B running on A's origin could reach A's storage, and the other way round)."""
    other = PackageFactory()
    if dev:
        host, secure = package_host(package), False
    else:
        request.getfixturevalue("deployed")
        host, secure = f"p-{package.uuid.hex}.paket.example.go.id", True
    for path in (
        f"/paket/{other.uuid}/putar/",
        f"/paket/{other.uuid}/f/imsmanifest.xml",
    ):
        response = client.get(path, HTTP_HOST=host, secure=secure)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "text/plain; charset=utf-8"
    own = client.get(f"/paket/{package.uuid}/f/imsmanifest.xml", HTTP_HOST=host, secure=secure)
    assert own.status_code == 200
    # The offline worker and save page answer on every package host.
    assert client.get("/paket/sw.js", HTTP_HOST=host, secure=secure).status_code == 200
    assert client.get("/paket/simpan/", HTTP_HOST=host, secure=secure).status_code == 200


def test_a_package_host_without_a_package_label_serves_nothing(client, package):
    for path in (f"/paket/{package.uuid}/putar/", "/paket/sw.js", "/paket/simpan/", "/"):
        response = client.get(path, HTTP_HOST="www.localhost")
        assert response.status_code == 404, path
        assert not response.cookies


def test_the_fixed_origin_serves_every_package(fixed, client, package):
    other = PackageFactory()
    for uuid in (package.uuid, other.uuid):
        response = client.get(f"/paket/{uuid}/putar/", HTTP_HOST="paket.example.go.id", secure=True)
        assert response.status_code == 200


@pytest.mark.parametrize("host", ["paket.example.go.id.", "PAKET.example.go.id.:443"])
def test_a_trailing_dot_does_not_turn_the_package_host_into_the_site(fixed, signed_in, host):
    """ "paket.example.go.id." is the same host to DNS and to browsers: it must not serve the
    site (its pages, its cookies) beside the packages."""
    for path in ("/", "/accounts/login/", "/api/v1/me/csrf-token"):
        response = signed_in.get(path, HTTP_HOST=host, secure=True)
        assert response.status_code == 404, path
        assert not response.cookies, path


def test_a_trailing_dot_does_not_turn_a_package_host_into_the_site_in_development(signed_in):
    response = signed_in.get("/accounts/login/", HTTP_HOST=PACKAGE_HOST + ".")

    assert response.status_code == 404
    assert not response.cookies


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


def test_a_fixed_package_origin_is_warned_about(fixed):
    """Packages sharing one origin share its storage and service worker."""
    found = checks.check_package_origin_deployed(None)

    assert _ids(found) == ["packages.W010"]
    assert found[0].level < 40  # a warning: deployments without wildcard DNS still work
    assert checks.check_package_origin_format(None) == []


@pytest.mark.parametrize(
    "origin",
    [
        "paket.example.go.id",
        "https://paket.example.go.id/paket/",
        "ftp://paket.go.id",
        "https://*.*.example.go.id",
        "https://p-*.example.go.id",
        "https://paket.*.go.id",
        "https://*.id",
        "https://*.paket.example.go.id:port",
    ],
)
def test_a_package_origin_that_is_not_an_origin_is_refused_everywhere(deployed, origin):
    deployed.LENTERA_PACKAGE_ORIGIN = origin

    assert _ids(checks.check_package_origin_format(None)) == ["packages.E002"]
    assert checks.check_package_origin_deployed(None) == []  # reported once


def test_the_package_origin_may_not_be_the_sites_host(fixed):
    fixed.LENTERA_PACKAGE_ORIGIN = "https://lentera.example.go.id:8443"
    fixed.ALLOWED_HOSTS = ["lentera.example.go.id"]

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E003", "packages.W010"]


def test_the_wildcard_may_not_cover_the_sites_host(deployed):
    deployed.LENTERA_PACKAGE_ORIGIN = "https://*.example.go.id"
    deployed.ALLOWED_HOSTS = ["lentera.example.go.id", ".example.go.id"]

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E003"]


@pytest.mark.parametrize("allowed", [["lentera.example.go.id"], ["paket.example.go.id"]])
def test_the_package_hosts_must_be_allowed(deployed, allowed):
    deployed.ALLOWED_HOSTS = ["lentera.example.go.id", *allowed]

    errors = checks.check_package_origin_deployed(None)

    assert _ids(errors) == ["packages.E004"]
    assert ".paket.example.go.id" in errors[0].hint


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


@pytest.mark.parametrize(
    "trusted",
    ["https://*.paket.example.go.id", "https://*.example.go.id", "https://*.paket.example.go.id/"],
)
def test_the_package_origins_may_not_be_trusted_csrf_origins(deployed, trusted):
    deployed.CSRF_TRUSTED_ORIGINS = [trusted]

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E006"]


def test_the_fixed_package_origin_may_not_be_a_trusted_csrf_origin(fixed):
    fixed.CSRF_TRUSTED_ORIGINS = ["https://paket.example.go.id"]

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E006", "packages.W010"]


def test_the_package_origin_takes_https_in_a_deployment(deployed):
    deployed.LENTERA_PACKAGE_ORIGIN = "http://*.paket.example.go.id"

    assert _ids(checks.check_package_origin_deployed(None)) == ["packages.E007"]


def test_a_preview_frames_the_package_on_the_port_of_the_sites_address(settings):
    """The preview's dummy request has Wagtail's site host, not the browser's: the player comes
    from the package's localhost subdomain on BASE_URL's port."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    dummy = request_at("localhost")
    dummy.is_dummy = True

    assert package_origin(dummy, UUID_A) == f"http://p-{HEX_A}.localhost:8000"
    assert package_origins_source(dummy) == "http://*.localhost:8000"


def test_the_format_check_is_silent_without_the_setting(settings):
    settings.LENTERA_PACKAGE_ORIGIN = ""

    assert checks.check_package_origin_format(None) == []


def test_an_ipv6_site_has_no_twin(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://[::1]:8000"
    settings.ALLOWED_HOSTS = ["[::1]"]

    assert package_origin(request_at("[::1]:8000"), UUID_A) is None
    assert not is_package_request(request_at("[::1]:8000"))


def test_a_refused_host_has_no_package_origin(dev_site):
    """A request with a host outside ALLOWED_HOSTS is answered 400; the site's policy, written
    on that answer too, must not fail on it."""
    dev_site.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

    assert package_origin(request_at("evil.example.com"), UUID_A) is None


def test_a_refused_host_is_answered_400(client, db):
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400

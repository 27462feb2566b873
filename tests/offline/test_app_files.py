"""The installable app's files: the web app manifest, the service worker served from the root
with its configuration, the offline page, and the headers that keep accounts apart."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.templatetags.static import static
from PIL import Image

from learners.factories import UserFactory
from offline.accounts import device_account_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_service_worker():
    """The served service worker is kept in memory once built (a deployment restarts with new
    static files); each test reads the built file as it is now."""
    from offline import views

    views._cached_service_worker.cache_clear()
    yield
    views._cached_service_worker.cache_clear()


def _html(response):
    return BeautifulSoup(response.content, "html.parser")


def test_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Lentera"
    assert "di mana saja" in manifest["description"]
    assert manifest["lang"] == "id"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    css = Path(finders.find("css/lentera.css")).read_text()
    assert manifest["theme_color"] in css
    assert manifest["background_color"] == "#ffffff"


def test_manifest_icons_exist_at_their_sizes(client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)

    purposes = {}
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix(settings.STATIC_URL)
        path = finders.find(name)
        assert path, icon["src"]
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
            assert image.format == "PNG"
        # Small enough for a slow link (installing fetches them).
        assert Path(path).stat().st_size < 12_000
        purposes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert purposes == {"any": {"192x192", "512x512"}, "maskable": {"512x512"}}


def test_maskable_icon_fills_its_square(client):
    """A platform cuts its own shape from a maskable icon: no transparent corner."""
    with Image.open(finders.find("icons/icon-maskable-512.png")) as image:
        corner = image.convert("RGBA").getpixel((0, 0))
    assert corner[3] == 255


def test_every_page_links_the_manifest_icons_and_script(client, site_tree):
    page = _html(client.get("/"))

    assert page.select_one('link[rel="manifest"]')["href"] == "/manifest.webmanifest"
    assert page.select_one('meta[name="theme-color"]')["content"] == "#1c2328"
    assert page.select_one('link[rel="apple-touch-icon"]')["href"] == static(
        "icons/icon-maskable-512.png"
    )
    script = page.select_one(f'script[src="{static("js/lentera.js")}"]')
    assert script is not None and script.has_attr("defer")
    # No inline script (CSP); the strings for the script are at a versioned address.
    for tag in page.select("script"):
        assert tag.has_attr("src") or tag["type"] == "application/json"
    assert page.select_one('meta[name="lentera-strings"]')["content"].startswith(
        "/luring/teks.json?v="
    )
    assert page.select_one('meta[name="lentera-account"]') is None


def test_signed_in_pages_name_the_account_and_mark_the_sign_out_form(client, site_tree):
    user = UserFactory(email="akun@instansi.go.id")
    client.force_login(user)

    page = _html(client.get("/"))

    key = device_account_key(user)
    assert page.select_one('meta[name="lentera-account"]')["content"] == key
    form = page.select_one("form[data-sign-out]")
    assert form["action"] == "/accounts/logout/"
    assert form["method"] == "post"


def test_account_key_is_stable_short_and_differs_between_accounts():
    first, second = UserFactory(), UserFactory()

    assert device_account_key(first) == device_account_key(first)
    assert device_account_key(first) != device_account_key(second)
    assert re.fullmatch(r"[0-9a-f]{20}", device_account_key(first))
    assert str(first.pk) != device_account_key(first)


def test_service_worker_is_served_from_the_root_with_its_configuration(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    first_line, _, script = body.partition("\n")
    match = re.fullmatch(r"self\.LENTERA = (\{.*\});", first_line)
    assert match, first_line
    config = json.loads(match.group(1))
    assert config["precache"] == [
        static("css/lentera.css"),
        static("js/lentera.js"),
        static("favicon.svg"),
    ]
    assert config["offlinePages"] == {"id": "/luring/", "en": "/en/luring/"}
    # Both languages' words, so that the offline page and saved pages have them offline.
    assert [url.partition("?")[0] for url in config["strings"]] == [
        "/luring/teks.json",
        "/en/luring/teks.json",
    ]
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in config["strings"])
    assert config["apiPrefix"] == "/api/v1/"
    assert config["csrfUrl"] == "/api/v1/me/csrf-token"
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])
    # The rest is the built service worker itself (frontend/, `make frontend`).
    assert script.encode() == Path(finders.find("js/sw.js")).read_bytes()


def test_an_unchanged_service_worker_answers_304(client):
    """Browsers look for a new service worker on every navigation: an unchanged one costs a
    304 without its body, not the whole script again (the repeat visit's 5 KB budget)."""
    etag = client.get("/sw.js")["ETag"]

    response = client.get("/sw.js", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert client.get("/sw.js", HTTP_IF_NONE_MATCH='"another"').status_code == 200


class HashedStaticStorage(ManifestStaticFilesStorage):
    """Production's hashed names (whitenoise's storage is this one, compressed), computed
    from the source files: the tests never run collectstatic."""

    def stored_name(self, name):
        digest = hashlib.sha256(Path(finders.find(name)).read_bytes()).hexdigest()[:12]
        stem, _, extension = name.rpartition(".")
        return f"{stem}.{digest}.{extension}"


def test_service_worker_precaches_hashed_static_urls_in_production(client, settings):
    """With the manifest storage of production, the precache list names the hashed files, so
    a new stylesheet or script is a new service worker version."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.HashedStaticStorage"},
    }
    first_line = client.get("/sw.js").content.decode().partition("\n")[0]

    config = json.loads(first_line.removeprefix("self.LENTERA = ").removesuffix(";"))
    assert all(re.search(r"\.[0-9a-f]{12}\.\w+$", url) for url in config["precache"])


def test_offline_page_is_the_same_for_everyone(client, site_tree):
    """The service worker shows it to whoever is signed in when offline: nothing personal."""
    anonymous = _html(client.get("/luring/"))
    first, second = UserFactory(full_name="Sari Utama"), UserFactory(full_name="Budi Kedua")
    client.force_login(first)
    for_first = _html(client.get("/luring/"))
    client.force_login(second)
    response = client.get("/luring/")
    for_second = _html(response)

    main = [str(page.select_one("main")) for page in (anonymous, for_first, for_second)]
    assert main[0] == main[1] == main[2]
    assert "Sari" not in main[1] and "Budi" not in main[2]
    assert for_second.select_one("main h1").get_text() == "Tersimpan untuk luring"
    assert for_second.select_one("main [data-offline-status]") is not None
    saved = for_second.select_one("main section[data-offline-saved-list]")
    assert saved is not None and not saved.get_text(strip=True)
    assert for_second.select_one("main noscript") is not None
    assert response["X-Lentera-Account"] == device_account_key(second)


def test_manifest_and_service_worker_have_one_address(client):
    assert client.get("/en/manifest.webmanifest").status_code == 404
    assert client.get("/en/sw.js").status_code == 404


def test_offline_page_in_english(client, site_tree):
    page = _html(client.get("/en/luring/"))

    assert page.select_one("main h1").get_text() == "Saved for offline"


def test_offline_page_is_linked_from_every_page(client, site_tree):
    page = _html(client.get("/"))

    assert page.select_one('footer a[href="/luring/"]') is not None


def test_account_header_on_html_only(client, site_tree):
    user = UserFactory()

    assert client.get("/")["X-Lentera-Account"] == "anonymous"
    assert "X-Lentera-Account" not in client.get("/manifest.webmanifest")
    client.force_login(user)
    assert client.get("/")["X-Lentera-Account"] == device_account_key(user)
    assert "X-Lentera-Account" not in client.get("/api/v1/me/csrf-token")


def test_sign_out_clears_the_site_data(client, site_tree):
    user = UserFactory()
    client.force_login(user)

    # The sign-out page (GET) and other posts clear nothing.
    assert "Clear-Site-Data" not in client.get("/accounts/logout/")
    assert "Clear-Site-Data" not in client.get("/")
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_english_sign_out_clears_the_site_data_too(client, site_tree):
    client.force_login(UserFactory())

    response = client.post("/en/accounts/logout/")

    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_csrf_token_for_the_service_worker(client):
    client.force_login(UserFactory())

    response = client.get("/api/v1/me/csrf-token")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = response.json()["token"]
    assert len(token) == 64
    # The token is one the server accepts on the learner API's POSTs.
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies
    refused = csrf_client.post(
        "/api/v1/lessons/999999/completion", "{}", content_type="application/json"
    )
    accepted = csrf_client.post(
        "/api/v1/lessons/999999/completion",
        "{}",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert refused.json()["code"] == "csrf_failed"
    assert accepted.json()["code"] == "lesson_unavailable"


def test_csrf_token_needs_a_session(client):
    response = client.get("/api/v1/me/csrf-token")

    assert response.status_code == 401

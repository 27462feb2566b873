"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's live
server.

They run with `make e2e` only: `make test` deselects the `e2e` marker (pyproject.toml's addopts),
so it never needs a browser. Playwright never downloads one: the system Chromium is launched by
path.

Data is created through the factories and services in the test thread; the live server thread
shares the in-memory SQLite connection, so both see the same rows (transactional tests).
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from courses.factories import ProviderFactory
from courses.services import site_structure_ensure
from tests.e2e.helpers import VIEWPORTS

CHROMIUM = os.environ.get("LENTERA_E2E_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package.")
    # Playwright's sync API runs an event loop in this thread, so Django's async-safety check
    # would refuse the ORM calls the tests make: the standard workaround for browser tests. Set
    # here rather than at import, so that `make test` (which only collects this folder) keeps it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
    )
    yield browser
    browser.close()
    playwright.stop()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(autouse=True)
def _search_index(search_index):
    """The browser sees the site as production serves it: what is saved is searchable."""


@pytest.fixture
def base_url(live_server, settings) -> str:
    """The live server's address, also used for links in e-mails and certificate QR codes."""
    # Load the URLconf in this thread before the server thread gets its first request: two
    # threads importing it at once would add the API routers twice.
    get_resolver().url_patterns  # noqa: B018
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return live_server.url


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=base_url,
        viewport=VIEWPORTS["desktop"],
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test on any uncaught JavaScript error or anything the Content
    Security Policy blocked."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield page
    assert not errors, "\n".join(errors)


@pytest.fixture
def sign_in(context: BrowserContext, base_url: str) -> Callable:
    """Sign a user in for the whole browser context, without going through the form (the
    journeys that test signing in use the form itself)."""

    def sign_in(user) -> None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": base_url,
                }
            ]
        )

    return sign_in


@pytest.fixture
def provider():
    """A provider with its part of the site, as the demo's LAN."""
    site_structure_ensure()
    return ProviderFactory(name="Lembaga Administrasi Negara", short_name="LAN", slug="lan")

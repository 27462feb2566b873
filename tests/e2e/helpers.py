"""Helpers shared by the browser tests: marks, signing in through the form, screenshots."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Locator, Page

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
PASSWORD = "lentera-uji-123"  # learners.factories.UserFactory's password
VIEWPORTS = {"mobile": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 800}}

#: Every browser test module's marks: deselected by `make test`, and a database the live server
#: thread shares (committed data; the migrations' rows, such as Wagtail's root page, restored).
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in_with_form(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through allauth's form at /accounts/login/, as a person would."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    click_and_wait(page, page.locator("main form button[type=submit]").first)


def click_and_wait(page: Page, locator: Locator) -> None:
    """Click something that submits a form or follows a link, and wait for the new page."""
    with page.expect_navigation():
        locator.click()


def screenshot(page: Page, name: str) -> None:
    """Save the current page at phone and desktop sizes into test-artifacts/e2e/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for size_name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=ARTIFACTS / f"{name}-{size_name}.png", full_page=True)
    if original:
        page.set_viewport_size(original)


def _(message: str) -> str:
    """The interface's text in Indonesian, the default language the browser gets."""
    with translation.override("id-id"):
        return gettext(message)

"""The offline page and the "Save for offline" panel pass axe, tap-target and reflow checks on a
phone and a desktop (the panel shown as the page script shows it)."""

import pytest
from playwright.sync_api import Browser

from courses.factories import course_with_lessons, provider_page_of
from courses.models import ModulePage
from learners.factories import UserFactory
from tests.e2e.helpers import E2E, VIEWPORTS, check_page

pytestmark = E2E


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_offline_page_and_save_panel(browser: Browser, base_url, provider, viewport):
    from django.conf import settings
    from django.test import Client

    course = course_with_lessons(provider_page=provider_page_of(provider), title="Etika ASN")
    module = ModulePage.objects.child_of(course).first()
    client = Client()
    client.force_login(UserFactory(email="aksesibel@instansi.go.id"))
    context = browser.new_context(base_url=base_url, viewport=VIEWPORTS[viewport], locale="id-ID")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    # The markup as the server renders it, without the page script's changes.
    context.route("**/static/js/lentera.js", lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto("/luring/")
        assert page.locator("main h1").inner_text() == "Tersimpan untuk luring"
        check_page(page, name=f"offline page ({viewport})")

        for target in (course, module):
            page.goto(target.url)
            panel = page.locator("section[data-offline-save]")
            assert panel.get_attribute("data-manifest-url") == (
                f"/api/v1/pages/{target.pk}/offline"
            )
            assert panel.is_hidden()
            panel.evaluate("(element) => { element.hidden = false; }")
            assert panel.get_by_role("heading", name="Simpan untuk luring").is_visible()
            check_page(page, name=f"{target.title} with the save panel ({viewport})")
    finally:
        context.close()

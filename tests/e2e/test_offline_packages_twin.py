"""Saving a course with a package lesson where the browser refuses the package origin's storage:
the loopback twin of `make run` (site on localhost, each package on p-<uuid hex>.localhost: two
sites), in a
Chromium that blocks third-party cookies and so a third-party frame's service worker (Playwright's
contexts are off the record, where Chromium always blocks them; Debian's Chromium does in normal
windows too). The course is saved all the same, and the learner reads that its package lessons
need a connection."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from learners import services
from learners.factories import UserFactory
from offline.strings import STRINGS
from packages import samples
from tests.e2e.helpers import E2E
from tests.e2e.package_helpers import course_with_package
from tests.e2e.test_offline_packages import READ_STORE, SW_READY

pytestmark = E2E


@pytest.fixture
def learner():
    return UserFactory(full_name="Budi Santoso")


def test_a_refused_package_store_saves_the_rest_and_says_so(page: Page, sign_in, provider, learner):
    course, lesson = course_with_package(
        provider,
        samples.scorm12_single_sco(),
        title="Keamanan Informasi Kembar",
        lesson_title="Kata Sandi yang Aman",
    )
    services.enrollment_create(user=learner, course=course)
    sign_in(learner)

    page.goto(course.url)
    assert page.evaluate(SW_READY)
    section = page.locator("[data-offline-save]")
    section.locator("[data-offline-save-button]").click()
    expect(section).to_have_attribute("data-offline-saved", "true", timeout=60_000)
    with translation.override("id-id"):
        message = str(STRINGS["packages_not_saved"])
    expect(section.locator("[data-offline-state]")).to_contain_text(message)

    [record] = page.evaluate(READ_STORE, "saved")
    assert record["packagesMissing"] is True
    assert lesson.pk in {entry["lesson_id"] for entry in record["entries"]}
    assert re.search(r"\d", section.locator("[data-offline-state]").inner_text())

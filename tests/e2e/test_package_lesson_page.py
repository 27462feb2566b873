"""The package lesson page in a real browser, around the player framed from the package
origin: axe-core finds no WCAG 2.1 A/AA violation, taps are large enough and nothing scrolls
sideways at phone and desktop sizes (`check_page`, the player's frame included in the page),
and the outline's items launch the package's parts from the keyboard."""

import re

import pytest
from playwright.sync_api import Page, expect

from learners import services
from learners.factories import UserFactory
from packages import samples
from tests.e2e.helpers import E2E, VIEWPORTS, check_page
from tests.e2e.package_helpers import PLAYER, content, course_with_package, lesson_open

pytestmark = E2E


@pytest.fixture
def lesson(provider, sign_in):
    course, lesson = course_with_package(
        provider,
        samples.scorm2004_multi_sco(),
        title="Standar Pelayanan Publik",
        lesson_title="Paket standar pelayanan",
    )
    learner = UserFactory(email="peserta.paket@instansi.go.id", full_name="Budi Santoso")
    services.enrollment_create(user=learner, course=course)
    sign_in(learner)
    return lesson


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_package_lesson_page_passes_axe_tap_target_and_reflow_checks(
    page: Page, lesson, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    lesson_open(page, lesson)

    check_page(page, name=f"package lesson ({viewport})")


def test_an_item_of_the_outline_is_launched_from_the_keyboard(page: Page, lesson):
    lesson_open(page, lesson)
    items = page.locator("[data-package-item]")
    expect(items).to_have_count(2)
    second = items.nth(1)

    second.locator("button").focus()
    page.keyboard.press("Enter")

    expect(second).to_have_attribute("aria-current", "step")
    # The second SCO itself is shown (the state attribute may already have moved from
    # "playing" to "saved": both SCOs' commits come back within a few milliseconds).
    expect(content(page).locator("h1")).to_have_text("Latihan Standar Pelayanan")
    expect(page.locator(PLAYER)).to_have_attribute(
        "data-package-state", re.compile("^(playing|saved)$")
    )

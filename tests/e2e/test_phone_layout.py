"""Phone layout at 360x640 CSS px: the signed-in header is one row, a lesson's text starts on the
first screen, and catalog and search results come before their filters."""

import pytest
from playwright.sync_api import Page, expect

from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from learners import services
from learners.factories import UserFactory
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page

pytestmark = E2E

PHONE = VIEWPORTS["mobile"]
ONE_ROW = 64  # CSS px: the wordmark and "Menu", with the accent border


@pytest.fixture
def catalog(provider):
    """Six published courses (so the catalog has results and filters) and a learner enrolled in
    the first."""
    provider_page = provider_page_of(provider)
    courses = [
        course_with_lessons(
            provider_page=provider_page,
            title=f"Pelayanan Publik Prima {number}",
            modules=1,
            lessons_per_module=2,
        )
        for number in range(1, 7)
    ]
    learner = UserFactory(email="ratna.dewi@kemendagri.go.id", full_name="Ratna Dewi")
    services.enrollment_create(user=learner, course=courses[0])
    return courses, learner


def top_of(page: Page, selector: str) -> float:
    """The first match's top edge, in CSS px from the top of the document."""
    return page.locator(selector).first.evaluate(
        "element => element.getBoundingClientRect().top + window.scrollY"
    )


def test_signed_in_header_is_one_row_with_the_navigation_behind_menu(page: Page, catalog, sign_in):
    _courses, learner = catalog
    sign_in(learner)
    page.set_viewport_size(PHONE)
    page.goto("/saya/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= ONE_ROW
    my_learning = page.locator("nav.site-nav").get_by_role("link", name=_("My learning"))
    expect(my_learning).to_be_hidden()
    check_page(page, name="my learning, menu closed")

    page.locator(".site-menu__toggle").click()
    expect(my_learning).to_be_visible()
    expect(
        page.locator("nav.account-nav").get_by_role("button", name=_("Sign out"))
    ).to_be_visible()
    check_page(page, name="my learning, menu open")


def test_desktop_header_shows_the_navigation_in_one_row(page: Page, catalog, sign_in):
    _courses, learner = catalog
    sign_in(learner)
    page.goto("/saya/")
    expect(page.locator(".site-menu__toggle")).to_be_hidden()
    expect(page.locator("nav.site-nav").get_by_role("link", name=_("My learning"))).to_be_visible()
    assert page.locator("header.site-header").bounding_box()["height"] <= ONE_ROW


def test_lesson_text_starts_on_the_first_phone_screen(page: Page, catalog, sign_in):
    courses, learner = catalog
    lesson = LessonPage.objects.live().descendant_of(courses[0]).order_by("path").first()
    sign_in(learner)
    page.set_viewport_size(PHONE)
    page.goto(lesson.url)
    first_paragraph = page.locator(".stream p").first
    box = first_paragraph.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    check_page(page, name="lesson")


@pytest.mark.parametrize(
    "url",
    ["/katalog/", "/katalog/?q=pelayanan", "/cari/?q=pelayanan"],
    ids=["catalog", "catalog search", "search"],
)
def test_results_come_before_the_filters_on_a_phone(page: Page, catalog, sign_in, url):
    _courses, learner = catalog
    sign_in(learner)
    page.set_viewport_size(PHONE)
    page.goto(url)
    first_result = ".search-layout :is(.card-grid > li, .result)"
    assert top_of(page, first_result) < top_of(page, ".facets")
    assert top_of(page, first_result) < PHONE["height"]
    check_page(page, name=url)

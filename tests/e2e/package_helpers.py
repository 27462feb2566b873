"""Helpers of the browser tests that play packages: a course whose lesson plays a package built
by `packages.samples`, the frames of the player, and waiting on what the server stored."""

import re
import time
from collections.abc import Callable

from playwright.sync_api import FrameLocator, Page, expect

from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    ModulePageFactory,
    provider_page_of,
)
from courses.models import CoursePage
from packages.factories import PackageFactory, PackageLessonPageFactory
from packages.models import Package, PackageLessonPage, RuntimeCommit, ScoState

PLAYER = "#package-player"


def package_upload(data: bytes, *, organization, name: str = "paket.zip") -> Package:
    """A package imported as an editor's upload is (validated, parsed, extracted)."""
    return PackageFactory(organization=organization, archive=data, file_name=name)


def course_with_package(
    provider, data: bytes, *, title: str, lesson_title: str, name: str = "paket.zip", **fields
) -> tuple[CoursePage, PackageLessonPage]:
    """A published course of one module whose only (so last) lesson plays the package."""
    course = CoursePageFactory(parent=provider_page_of(provider), title=title)
    CourseCompetencyFactory(page=course)
    module = ModulePageFactory(parent=course, title=f"Modul 1: {title}")
    package = package_upload(data, organization=provider, name=name)
    lesson = PackageLessonPageFactory(parent=module, title=lesson_title, package=package, **fields)
    return course, PackageLessonPage.objects.get(pk=lesson.pk)


def player(page: Page) -> FrameLocator:
    """The player page, on the package origin, inside the lesson page."""
    return page.frame_locator(f"{PLAYER} iframe")


def content(page: Page) -> FrameLocator:
    """The package's own page (a SCO, or H5P's frame) inside the player."""
    return player(page).frame_locator("iframe")


def lesson_open(page: Page, lesson: PackageLessonPage) -> FrameLocator:
    """Open the lesson page and wait until the package's content has started."""
    page.goto(lesson.url)
    expect(page.locator(PLAYER)).to_have_attribute(
        "data-package-state", _any_of("ready", "playing", "saved", "queued")
    )
    return content(page)


def _any_of(*states: str) -> re.Pattern:
    return re.compile("^(" + "|".join(states) + ")$")


def wait_for(check: Callable[[], object], *, timeout: float = 15, message: str = "") -> object:
    """Poll `check` (a read of what the live server stored) until it returns something true."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(message or f"Timed out waiting for {check}")
        time.sleep(0.1)


def sco_state(lesson: PackageLessonPage, item: str) -> ScoState | None:
    return ScoState.objects.filter(attempt__lesson=lesson, item=item).first()


def stored(lesson: PackageLessonPage, item: str, test: Callable[[ScoState], bool]) -> ScoState:
    """Wait until the SCO's stored state passes `test`; return it."""

    def check():
        state = sco_state(lesson, item)
        return state if state is not None and test(state) else None

    return wait_for(check, message=f"{item} of lesson {lesson.pk} was not stored as expected")


def commits(lesson: PackageLessonPage, **filters) -> int:
    """How many runtime commits (SCORM) or statements (H5P) the server recorded for the lesson."""
    return RuntimeCommit.objects.filter(sco__attempt__lesson=lesson, **filters).count()


def runtime_quiet(page: Page, lesson: PackageLessonPage, *, quiet: float = 1.0) -> None:
    """Leave the lesson and wait until no more commits arrive: a SCO's last commit on unload
    must not reach the live server while the test's database is flushed."""
    page.goto("about:blank")
    deadline = time.monotonic() + 10
    count, since = commits(lesson), time.monotonic()
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.1)
        now = commits(lesson)
        if now != count:
            count, since = now, time.monotonic()

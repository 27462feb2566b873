"""Package lessons offline, in a real browser (issue 18, "Offline"): a learner saves a course
whose lesson plays a SCORM 1.2 package, loses the connection, opens the lesson and plays the
package from the device; the package's commit is queued on the device like a completion, and
once back online it is sent and stored on the server, once. Removing the saved course deletes
the package's files from the device too.

The package's files are served from the package origin, which the site's service worker cannot
store: the course page frames the package origin's save page (/paket/simpan/), which stores them
in that origin's caches, where its own service worker (/paket/sw.js) serves the lesson's player
frame (both frames are under the same top-level site, so in the same storage partition).

Every package has an origin of its own (p-<uuid hex>.<package parent>), with its own caches and
worker. The loopback twin (site at localhost, packages at p-<uuid hex>.localhost) makes each
package origin another *site*, not only another origin, so its frames are third-party, and
Chromium blocks a third-party frame's service worker where it blocks third-party cookies ("The
user denied permission to use Service Worker"; Debian's Chromium does by default). Production
puts the package origins under the site's domain (README, "Packages": a wildcard such as
https://*.paket.lentera.go.id): other origins, the same site. These tests do the same: the browser
resolves lentera.go.id and *.paket.lentera.go.id to the live server and treats them as secure
origins (as it does localhost), and the settings name them.
"""

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver
from playwright.sync_api import Browser, BrowserContext, Page, expect

from learners import services
from learners.factories import UserFactory
from learners.models import LessonCompletion
from packages import samples
from packages.models import RuntimeCommit
from tests.e2e.conftest import CHROMIUM
from tests.e2e.helpers import E2E, VIEWPORTS
from tests.e2e.package_helpers import PLAYER, content, course_with_package, sco_state, wait_for

pytestmark = E2E

READ_STORE = """async (store) => {
    const names = (await indexedDB.databases()).map((database) => database.name);
    if (!names.includes("lentera")) return [];
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open("lentera");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    try {
        if (!db.objectStoreNames.contains(store)) return [];
        return await new Promise((resolve, reject) => {
            const request = db.transaction(store).objectStore(store).getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
        });
    } finally {
        db.close();
    }
}"""

SW_READY = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return Boolean(registration.active);
}"""

# Whether the server answers (the API is never served from a cache).
REACHABLE = (
    """() => fetch("/api/v1/me/csrf-token", {cache: "no-store"}).then(() => true, () => false)"""
)


SITE_HOST = "lentera.go.id"
PACKAGE_HOST = "paket.lentera.go.id"


@pytest.fixture
def base_url(live_server, settings) -> str:
    """The live server as https://lentera.go.id would be, each package on a host of its own
    under paket.lentera.go.id (p-<uuid hex>.paket.lentera.go.id, the wildcard setting)."""
    get_resolver().url_patterns  # noqa: B018 (see tests/e2e/conftest.py)
    port = urlsplit(live_server.url).port
    site, packages = f"http://{SITE_HOST}:{port}", f"http://*.{PACKAGE_HOST}:{port}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SITE_HOST, f".{PACKAGE_HOST}"]
    settings.WAGTAILADMIN_BASE_URL = site
    settings.LENTERA_PACKAGE_ORIGIN = packages
    return site


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """A Chromium that resolves both names to the live server and treats them as secure."""
    # Chromium takes a wildcard in this list as a bare host pattern (no scheme, no port).
    site, packages = base_url, f"*.{PACKAGE_HOST}"
    same_site = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            f"--host-resolver-rules=MAP {SITE_HOST} 127.0.0.1, MAP *.{PACKAGE_HOST} 127.0.0.1",
            f"--unsafely-treat-insecure-origin-as-secure={site},{packages}",
        ],
    )
    context = same_site.new_context(
        base_url=base_url, viewport=VIEWPORTS["desktop"], locale="id-ID", timezone_id="Asia/Jakarta"
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()
    same_site.close()


@pytest.fixture
def sign_in(context: BrowserContext, base_url: str):
    def sign_in(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
        )

    return sign_in


@pytest.fixture
def learner():
    return UserFactory(full_name="Dewi Lestari")


@pytest.fixture
def package_course(provider, learner):
    course, lesson = course_with_package(
        provider,
        samples.scorm12_single_sco(),
        title="Keamanan Informasi Luring",
        lesson_title="Kata Sandi yang Aman",
    )
    services.enrollment_create(user=learner, course=course)
    return course, lesson


def store(page: Page, name: str) -> list[dict]:
    return page.evaluate(READ_STORE, name)


def save_course(page: Page, course) -> dict:
    """Save the course for offline use from its page (under the site's service worker); return
    the device's record of it."""
    page.goto(course.url)
    assert page.evaluate(SW_READY)
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    section = page.locator("[data-offline-save]")
    expect(section).to_be_visible()
    section.scroll_into_view_if_needed()
    expect(section.locator("[data-offline-size]")).to_contain_text(re.compile(r"\d.*B"))
    section.locator("[data-offline-save-button]").click()
    expect(section).to_have_attribute("data-offline-saved", "true", timeout=60_000)
    [record] = store(page, "saved")
    return record


def package_caches(page: Page) -> list[str]:
    """The package origin's cache names, as the player frame (package origin, this top-level
    site's partition) sees them."""
    frame = next(
        frame for frame in page.frames if "/paket/" in frame.url and "/putar/" in frame.url
    )
    return frame.evaluate("caches.keys()")


def test_a_saved_package_lesson_plays_offline_and_its_commit_is_sent_later(
    context: BrowserContext, page: Page, sign_in, learner, package_course
):
    course, lesson = package_course
    package = lesson.package
    sign_in(learner)

    record = save_course(page, course)
    [saved_package] = record["packages"]
    assert saved_package["uuid"] == str(package.uuid)
    assert saved_package["lesson_ids"] == [lesson.pk]
    # The size saved includes the package's files.
    assert record["bytes"] >= package.size

    context.set_offline(True)
    assert not page.evaluate(REACHABLE), "the page still reached the server"

    # The saved lesson opens from the outline's address; the package plays from the device.
    page.goto(lesson.url)
    expect(page.locator(PLAYER)).to_have_attribute(
        "data-package-state", re.compile("^(ready|playing|queued)$"), timeout=30_000
    )
    sco = content(page)
    expect(sco.locator("#page-number")).to_have_text("Halaman 1 dari 3")
    expect(sco.locator("#learner")).to_contain_text("Lestari")
    sco.get_by_role("button", name="Berikutnya").click()
    expect(sco.locator("#page-number")).to_have_text("Halaman 2 dari 3")

    # The commit waits on the device, like a completion made offline.
    expect(page.locator(PLAYER)).to_have_attribute("data-package-state", "queued")
    queued = [item for item in store(page, "outbox") if item["kind"] == "package"]
    assert queued, "no runtime commit in the outbox"
    assert {item["lesson_id"] for item in queued} == {lesson.pk}
    assert sco_state(lesson, "ITEM-1") is None

    # Opened again offline, the lesson resumes from the queued commit, not from the saved page's
    # state (the page was saved before the learner started).
    page.goto(lesson.url)
    sco = content(page)
    expect(sco.locator("#page-number")).to_have_text("Halaman 2 dari 3", timeout=30_000)

    # The offline page lists the package lesson among the saved ones.
    page.goto("/luring/")
    expect(page.locator(f'[data-offline-saved-list] a[data-lesson-id="{lesson.pk}"]')).to_have_text(
        lesson.title
    )

    # Back online: the outbox is sent (the page's `online` flush or Background Sync) and the
    # server stores the state, once per event.
    context.set_offline(False)
    page.goto(course.url)
    state = wait_for(
        lambda: (
            (found := sco_state(lesson, "ITEM-1"))
            and found.cmi.get("core", {}).get("lesson_location") == "2"
            and found
        ),
        timeout=30,
        message="the queued commit did not reach the server",
    )
    assert state.completion_status == "incomplete"
    assert '"page":2' in state.cmi["suspend_data"]
    wait_for(
        lambda: not [item for item in store(page, "outbox") if item["kind"] == "package"],
        message="the outbox kept the sent commits",
    )
    event_ids = {item["event_id"] for item in queued}
    assert RuntimeCommit.objects.filter(event_id__in=event_ids).count() == len(event_ids)


def test_removing_the_saved_course_removes_the_package_files(
    page: Page, sign_in, learner, package_course
):
    course, lesson = package_course
    cache_name = f"lentera-paket-{lesson.package.uuid}"
    sign_in(learner)
    save_course(page, course)

    page.goto(lesson.url)
    expect(page.locator(PLAYER)).to_have_attribute(
        "data-package-state", re.compile("^(ready|playing|saved)$"), timeout=30_000
    )
    assert cache_name in package_caches(page)

    page.goto(course.url)
    section = page.locator("[data-offline-save]")
    section.locator("[data-offline-remove]").click()
    expect(section).not_to_have_attribute("data-offline-saved", "true")
    assert store(page, "saved") == []

    page.goto(lesson.url)
    expect(page.locator(PLAYER)).to_have_attribute(
        "data-package-state", re.compile("^(ready|playing|saved)$"), timeout=30_000
    )
    wait_for(lambda: cache_name not in package_caches(page), message="the package stayed")


def test_an_h5p_quiz_answered_offline_is_scored_on_the_server_later(
    context: BrowserContext, page: Page, sign_in, provider, learner
):
    course, lesson = course_with_package(
        provider,
        samples.h5p_quiz(),
        title="Pengembangan Kompetensi Luring",
        lesson_title="Kuis Pengembangan Kompetensi",
        name="kuis.h5p",
        pass_mark=60,
    )
    services.enrollment_create(user=learner, course=course)
    sign_in(learner)
    record = save_course(page, course)
    assert [item["uuid"] for item in record["packages"]] == [str(lesson.package.uuid)]

    context.set_offline(True)
    assert not page.evaluate(REACHABLE)
    page.goto(lesson.url)
    quiz = content(page)
    # H5P's runtime (the vendored h5p-standalone) and the content's libraries, from the device.
    expect(quiz.locator(".h5p-lentera-quiz h2")).to_have_text(
        "Kuis Pengembangan Kompetensi", timeout=30_000
    )
    quiz.get_by_label("Jam Pelajaran").check()
    quiz.get_by_label("20 JP").check()
    quiz.get_by_label("Pegawai sendiri saja").check()
    quiz.get_by_role("button", name="Periksa").click()
    expect(quiz.locator(".h5p-lentera-quiz-result")).to_have_text("Skor: 2/3 (lulus)")
    expect(page.locator(PLAYER)).to_have_attribute("data-package-state", "queued")
    assert sco_state(lesson, "h5p") is None

    context.set_offline(False)
    page.goto(course.url)
    state = wait_for(
        lambda: (found := sco_state(lesson, "h5p")) and found.score_raw is not None and found,
        timeout=30,
        message="the queued statements did not reach the server",
    )
    assert (state.score_raw, state.score_max) == (2, 3)
    assert state.success_status == "passed"
    wait_for(
        lambda: LessonCompletion.objects.filter(enrollment__user=learner, lesson=lesson).exists(),
        message="the lesson was not completed",
    )
    wait_for(
        lambda: not [item for item in store(page, "outbox") if item["kind"] == "package"],
        message="the outbox kept the sent statements",
    )

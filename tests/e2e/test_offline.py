"""Offline use in a real browser (issue 17's "done when"): a learner saves a course, loses the
connection, opens the saved lessons, completes two and answers an untimed quiz, closes the page,
comes back online and finds everything recorded on the server, once; signing out leaves
nothing of the account on the device. And a completion the server can no longer accept (the
lesson was unpublished meanwhile) is refused on sync with the reason shown.

Playwright's `context.set_offline(True)` cuts the page and its service worker off the network
in Chromium (the test checks that the live server is unreachable from both).
"""

import re
import time

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect

from content.factories import paragraph
from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from courses.models import LessonPage
from learners import services as learner_services
from learners.factories import UserFactory
from learners.models import Certificate, LessonCompletion
from offline.strings import STRINGS
from quizzes.factories import QuizPageFactory
from quizzes.models import QuizAttempt, QuizPage
from tests.e2e.helpers import E2E, VIEWPORTS, check_page
from tests.quizzes.quiz_helpers import BANDS, correct_answers, four_questions

pytestmark = E2E


def s(key: str, **params) -> str:
    """An offline interface string as the browser shows it (Indonesian), placeholders filled."""
    with translation.override("id-id"):
        text = str(STRINGS[key])
    return text % params if params else text


def new_page(context: BrowserContext, errors: list[str]) -> Page:
    """Another page of the context, its script errors collected as the `page` fixture does."""
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


# Reads one IndexedDB store of the device ("lentera", made by the page script) without creating
# the database when it does not exist (a version-less open would create an empty one).
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

# Puts records back into the outbox: a replay of what was sent already.
REPLAY = """async (items) => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open("lentera");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const tx = db.transaction("outbox", "readwrite");
    for (const item of items) tx.objectStore("outbox").put(item);
    await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
    });
    db.close();
}"""

SW_READY = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return Boolean(registration.active);
}"""


def checked(page: Page, name: str) -> None:
    """check_page at phone and desktop sizes: the offline interface is mostly used on phones."""
    for size in ("mobile", "desktop"):
        page.set_viewport_size(VIEWPORTS[size])
        check_page(page, name=f"{name}-{size}")


def store(page: Page, name: str) -> list[dict]:
    return page.evaluate(READ_STORE, name)


def wait_for(condition, *, timeout: float = 20, message: str = "") -> None:
    """Poll a condition of the device while the browser and its service worker work."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message or "condition not met in time")


@pytest.fixture
def course_offline(provider):
    """A published course: one module with two lessons and an untimed quiz, in that order."""
    course = CoursePageFactory(parent=provider_page_of(provider), title="Pelayanan Prima Luring")
    CourseCompetencyFactory(page=course)
    module = ModulePageFactory(parent=course, title="Modul 1: Dasar Pelayanan")
    first = LessonPageFactory(parent=module, title="Standar Pelayanan")
    second = LessonPageFactory(parent=module, title="Maklumat Pelayanan")
    quiz = QuizPageFactory(
        parent=module,
        title="Kuis Pelayanan Prima",
        role=QuizPage.Role.PRACTICE,
        pass_mark=70,
        questions=four_questions(),
        pass_bands=BANDS,
        requires_lessons_completed=False,
        time_limit_minutes=None,
    )
    # A timed quiz needs a connection: never answered offline (optional, so the course
    # completes without it).
    QuizPageFactory(
        parent=module,
        title="Ujian Berbatas Waktu",
        role=QuizPage.Role.PRACTICE,
        questions=four_questions(),
        time_limit_minutes=15,
        required_for_completion=False,
        requires_lessons_completed=False,
    )
    return course, module, first, second, QuizPage.objects.get(pk=quiz.pk)


@pytest.fixture
def learner(course_offline):
    user = UserFactory(full_name="Rina Kartika")
    learner_services.enrollment_create(user=user, course=course_offline[0])
    return user


def open_with_worker(page: Page, url: str) -> None:
    """Open a page and wait until the service worker controls it (the first visit installs
    it; a reload puts the page under its control)."""
    page.goto(url)
    assert page.evaluate(SW_READY)
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    expect(page.locator("[data-offline-save]")).to_be_visible()


def save_for_offline(page: Page, course) -> None:
    open_with_worker(page, course.url)
    section = page.locator("[data-offline-save]")
    section.scroll_into_view_if_needed()
    # The size is shown before saving, in Indonesian units (kB, MB).
    expect(section.locator("[data-offline-size]")).to_contain_text(re.compile(r"\d.*B"))
    section.locator("[data-offline-save-button]").click()
    expect(section).to_have_attribute("data-offline-saved", "true", timeout=30_000)
    expect(section.locator("[data-offline-state]")).to_contain_text(re.compile(r"\d"))
    expect(section.locator("[data-offline-remove]")).to_be_visible()
    expect(section.locator("[data-offline-storage]")).to_contain_text(re.compile(r"\d"))
    checked(page, "offline-course-saved")


def answer_correctly_offline(page: Page, quiz: QuizPage) -> None:
    """Fill the form the page script built from the stored paper (no answer key on the device:
    the right answers come from the stored quiz)."""
    form = page.locator("form[data-offline-quiz-form]")
    for question_id, answer in correct_answers(quiz).items():
        fieldset = form.locator(f'fieldset[data-question-id="{question_id}"]')
        if isinstance(answer, str):
            fieldset.locator("input[type=text]").fill(answer)
        else:
            for option_id in answer:
                fieldset.locator(f'input[value="{option_id}"]').check()


def test_saved_course_learned_offline_reaches_the_server_once(
    context: BrowserContext, page: Page, sign_in, course_offline, learner
):
    course, _module, first, second, quiz = course_offline
    sign_in(learner)
    save_for_offline(page, course)
    saved = store(page, "saved")
    assert [record["title"] for record in saved] == [course.title]
    saved_urls = {entry["url"] for entry in saved[0]["entries"]}
    assert {first.url, second.url, quiz.url} <= saved_urls
    papers = store(page, "papers")
    assert [paper["paper"]["quiz_id"] for paper in papers] == [quiz.pk]
    # The paper holds no answer key.
    assert "is_correct" not in str(papers) and "accepted_answers" not in str(papers)

    context.set_offline(True)
    # Cut off, the page and its service worker both: the server is unreachable from either.
    reach = "fetch('/api/v1/me/csrf-token').then(() => 'reached', () => 'failed')"
    [worker] = context.service_workers
    assert page.evaluate(reach) == "failed"
    assert worker.evaluate(reach) == "failed"
    assert worker.evaluate("navigator.onLine") is False

    # The saved course opens, and its lessons open from the outline.
    page.goto(course.url)
    expect(page.locator("h1")).to_have_text(course.title)
    page.locator(f'main a[href="{first.url}"]').first.click()
    expect(page.locator("h1")).to_have_text(first.title)

    # Mark the two lessons done: each is queued, marked waiting, and the next lesson opens.
    page.locator("form[data-offline-complete] button").click()
    page.wait_for_url(f"**{second.url}")
    waiting = page.locator(f'.module-nav a[data-lesson-id="{first.pk}"] + [data-offline-waiting]')
    expect(waiting).to_have_text(s("waiting"))
    page.locator("form[data-offline-complete] button").click()
    page.wait_for_url(f"**{quiz.url}")
    expect(
        page.locator(f'.module-nav a[data-lesson-id="{second.pk}"] + [data-offline-waiting]')
    ).to_have_text(s("waiting"))

    # The timed quiz says it needs a connection, and nothing offers to answer it offline.
    timed = QuizPage.objects.get(title="Ujian Berbatas Waktu")
    page.goto(timed.url)
    expect(page.locator("[data-quiz-needs-connection]")).to_be_visible()
    expect(page.locator('[data-offline-quiz][data-timed="true"]')).to_have_count(1)
    expect(page.locator("[data-offline-quiz-answers]")).to_have_count(0)
    page.goto(quiz.url)

    # The untimed quiz: its start button builds the questions from the stored paper.
    page.locator("form[data-offline-quiz] button[type=submit]").click()
    answer_correctly_offline(page, quiz)
    checked(page, "offline-quiz-form")
    page.locator("form[data-offline-quiz-form] button[type=submit]").click()
    expect(page.locator("[data-offline-quiz-queued]")).to_have_text(s("quiz_queued"))

    # The offline page lists what is saved on this device, the waiting lessons marked.
    page.goto("/luring/")
    expect(page.locator("[data-offline-status]")).to_have_text(s("offline_now"))
    saved_list = page.locator("[data-offline-saved-list]")
    expect(saved_list.get_by_role("link", name=course.title)).to_be_visible()
    for lesson in (first, second):
        expect(
            saved_list.locator(f'a[data-lesson-id="{lesson.pk}"] + [data-offline-waiting]')
        ).to_be_visible()
    expect(saved_list.locator("[data-offline-storage]")).to_contain_text(re.compile(r"\d"))
    checked(page, "offline-saved-list")

    queued = store(page, "outbox")
    assert sorted(item["kind"] for item in queued) == ["completion", "completion", "quiz"]
    assert {item.get("lesson_id") for item in queued if item["kind"] == "completion"} == {
        first.pk,
        second.pk,
    }
    assert all(
        item["event_id"] and (item.get("completed_at") or item.get("answered_at"))
        for item in queued
    )
    # Nothing reached the server while offline.
    assert not LessonCompletion.objects.filter(enrollment__user=learner).exists()
    assert not QuizAttempt.objects.filter(user=learner).exists()
    page.close()

    # Back online, with no page of the site open: Chromium's Background Sync wakes the service
    # worker, which sends what the device kept. (Browsers without it send on the next visit:
    # the page flushes on load.)
    context.set_offline(False)
    # Asked of the service worker, not of the database: a query from this thread would lock the
    # tables the live server writes to (one in-memory SQLite database shared by both threads).
    wait_for(
        lambda: worker.evaluate(READ_STORE, "outbox") == [],
        message="the queued records never left the device",
    )
    completions = LessonCompletion.objects.filter(enrollment__user=learner)
    # Both lessons, and the quiz's own lesson (a passed quiz completes it).
    assert set(completions.values_list("lesson_id", flat=True)) == {first.pk, second.pk, quiz.pk}
    by_lesson = {completion.lesson_id: completion for completion in completions}
    events = {item.get("lesson_id"): item for item in queued if item["kind"] == "completion"}
    for lesson in (first, second):
        assert str(by_lesson[lesson.pk].event_id) == events[lesson.pk]["event_id"]
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.status == "submitted" and attempt.score == 100 and attempt.passed

    # The learner sees what happened on the next page: both completions and the quiz's result
    # with its link.
    errors: list[str] = []
    page = new_page(context, errors)
    page.goto("/saya/")
    results = page.locator("[data-offline-results]")
    for title in (first.title, second.title):
        expect(results).to_contain_text(title)
    expect(results.get_by_role("link", name=s("see_result"))).to_have_attribute(
        "href", re.compile(rf"/kuis/percobaan/{attempt.pk}/hasil/$")
    )
    # The quiz completed the course's last lesson: the certificate is linked too.
    certificate = Certificate.objects.get(enrollment__user=learner)
    expect(results.locator(f'a[href="/sertifikat/{certificate.code}/"]')).to_have_text(
        s("certificate", code=certificate.code)
    )
    checked(page, "offline-results")
    wait_for(lambda: not store(page, "outbox"), message="the outbox kept sent records")

    # Sending the same records again (a lost answer, a second tab) counts nothing twice.
    page.evaluate(REPLAY, queued)
    page.reload()
    wait_for(lambda: not store(page, "outbox"), message="the replayed records were not sent")
    assert completions.count() == 3
    assert QuizAttempt.objects.filter(user=learner).count() == 1

    # Signing out clears this account's saved pages and records from the device.
    with page.expect_navigation():
        page.locator("form[data-sign-out] button").click()
    expect(page.locator("form[data-sign-out]")).to_have_count(0)
    cache_names = page.evaluate("caches.keys()")
    assert not [name for name in cache_names if name.startswith("lentera-saved-")], cache_names
    for name in ("outbox", "saved", "papers", "results"):
        assert store(page, name) == [], name
    assert not errors, errors


def test_a_completion_the_server_can_no_longer_accept_is_refused_with_its_reason(
    context: BrowserContext, page: Page, sign_in, course_offline, learner
):
    course, _module, first, second, _quiz = course_offline
    sign_in(learner)
    save_for_offline(page, course)

    context.set_offline(True)
    page.goto(first.url)
    expect(page.locator("h1")).to_have_text(first.title)
    page.locator("form[data-offline-complete] button").click()
    page.wait_for_url(f"**{second.url}")
    # Back on the lesson done offline: the form gave way to the waiting status.
    page.goto(first.url)
    expect(page.locator("[data-offline-queued]")).to_contain_text(s("completion_queued"))
    expect(page.locator("form[data-offline-complete]")).to_have_count(0)
    page.close()

    # Meanwhile the lesson is unpublished: the completion can no longer be recorded.
    first.unpublish()
    context.set_offline(False)
    errors: list[str] = []
    page = new_page(context, errors)
    page.goto(course.url)
    refused = page.locator('[data-offline-results] [data-offline-result="refused"]')
    expect(refused).to_contain_text(first.title)
    assert not LessonCompletion.objects.filter(enrollment__user=learner).exists()
    assert store(page, "outbox") == []
    # The server's reason, in the learner's language, is what the learner reads.
    [result] = store(page, "results")
    assert result["ok"] is False and result["status"] == 404
    assert result["detail"]
    expect(refused).to_have_text(s("refused", title=first.title, detail=result["detail"]))
    # Shown once: the next page no longer repeats it.
    page.reload()
    expect(page.locator('[data-offline-result="refused"]')).to_have_count(0)
    assert not errors, errors


# Ages the device's saved records: as if they were last checked two hours ago.
AGE_SAVED = """async () => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open("lentera");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const tx = db.transaction("saved", "readwrite");
    const request = tx.objectStore("saved").getAll();
    request.onsuccess = () => {
        const old = new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString();
        for (const record of request.result) {
            tx.objectStore("saved").put({...record, checkedAt: old});
        }
    };
    await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
    });
    db.close();
}"""

SAVED_TEXT = """async ([cacheName, url]) => {
    const response = await (await caches.open(cacheName)).match(url);
    return response ? response.text() : null;
}"""


def test_a_saved_course_fetches_only_what_was_republished(
    context: BrowserContext, page: Page, sign_in, course_offline, learner
):
    course, _module, first, second, _quiz = course_offline
    sign_in(learner)
    save_for_offline(page, course)
    [before] = store(page, "saved")
    hashes = {entry["url"]: entry["hash"] for entry in before["entries"]}

    # An editor republishes the first lesson with a new text (its title, shown in every page's
    # outline, stays).
    first = LessonPage.objects.get(pk=first.pk)
    first.body = [paragraph("Standar pelayanan wajib ditinjau setiap tahun (revisi).")]
    first.save_revision().publish()
    page.evaluate(AGE_SAVED)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.reload()
    wait_for(
        lambda: store(page, "saved")[0]["version"] != before["version"],
        message="the saved copy was not brought up to date",
    )
    [after] = store(page, "saved")
    updated = {entry["url"]: entry["hash"] for entry in after["entries"]}
    assert updated[first.url] != hashes[first.url]
    assert updated[second.url] == hashes[second.url]
    # The republished lesson was fetched again, the unchanged one was not.
    assert any(first.url in url and "lentera-refresh" in url for url in requested), requested
    assert not [url for url in requested if url.endswith(second.url)], requested
    # The save section says so.
    expect(page.locator("[data-offline-state]")).to_have_text(s("updated"))
    cache_name = f"lentera-saved-{before['account']}"
    assert "ditinjau setiap tahun (revisi)" in page.evaluate(SAVED_TEXT, [cache_name, first.url])

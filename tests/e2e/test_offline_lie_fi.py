"""A connection that looks online but brings nothing ("lie-fi"), under the service worker:
mark-done goes through the completion API and is queued when the request fails, then reaches the
server once; a quiz start that cannot reach the server opens the stored paper; a completion the
server takes goes on to the next lesson with the result shown, as the form post would.

The browser stays "online" (navigator.onLine is true): only the API requests fail, through
Playwright's routing of the context's requests.
"""

from playwright.sync_api import BrowserContext, Page, expect

from learners.models import LessonCompletion
from tests.e2e.helpers import E2E
from tests.e2e.test_offline import (  # noqa: F401 (the fixtures, shared)
    course_offline,
    learner,
    s,
    save_for_offline,
    store,
    wait_for,
)

pytestmark = E2E


def test_a_completion_that_cannot_reach_the_server_is_queued_then_sent_once(
    context: BrowserContext,
    page: Page,
    sign_in,
    course_offline,  # noqa: F811
    learner,  # noqa: F811
):
    course, _module, first, second, _quiz = course_offline
    sign_in(learner)
    save_for_offline(page, course)
    page.goto(first.url)
    assert page.evaluate("navigator.onLine") is True

    # The page's and the service worker's requests alike (Background Sync would send it).
    context.route(
        "**/api/v1/lessons/*/completion", lambda route: route.abort("internetdisconnected")
    )
    page.locator("form[data-offline-complete] button").click()

    # Queued and shown waiting, and the saved next lesson opens, as offline.
    page.wait_for_url(f"**{second.url}")
    waiting = page.locator(f'.module-nav a[data-lesson-id="{first.pk}"] + [data-offline-waiting]')
    expect(waiting).to_have_text(s("waiting"))
    assert [item["lesson_id"] for item in store(page, "outbox")] == [first.pk]
    assert not LessonCompletion.objects.filter(lesson=first).exists()

    # The connection comes back: the queued completion is sent, once.
    context.unroute("**/api/v1/lessons/*/completion")
    page.reload()
    wait_for(lambda: store(page, "outbox") == [], message="the outbox was not sent")
    assert LessonCompletion.objects.filter(lesson=first).count() == 1


def test_a_completion_the_server_takes_goes_on_to_the_next_lesson(
    context: BrowserContext,
    page: Page,
    sign_in,
    course_offline,  # noqa: F811
    learner,  # noqa: F811
):
    course, _module, first, second, _quiz = course_offline
    sign_in(learner)
    save_for_offline(page, course)
    page.goto(first.url)

    page.locator("form[data-offline-complete] button").click()

    page.wait_for_url(f"**{second.url}")
    assert LessonCompletion.objects.filter(lesson=first).count() == 1
    assert store(page, "outbox") == []
    expect(page.locator('[data-offline-result="ok"]')).to_contain_text(first.title)


def test_a_quiz_start_that_cannot_reach_the_server_opens_the_stored_paper(
    context: BrowserContext,
    page: Page,
    sign_in,
    course_offline,  # noqa: F811
    learner,  # noqa: F811
):
    course, _module, _first, _second, quiz = course_offline
    sign_in(learner)
    save_for_offline(page, course)
    page.goto(quiz.url)

    page.route("**/api/v1/quizzes/*/attempts", lambda route: route.abort("timedout"))
    page.locator("form[data-offline-quiz] button[type=submit]").click()

    form = page.locator("form[data-offline-quiz-form]")
    expect(form).to_be_visible()
    assert form.locator("fieldset[data-question-id]").count() == 4
    assert page.url.endswith(quiz.url)

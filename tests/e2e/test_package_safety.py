"""A hostile package cannot act as the learner: its SCO reads cookies and the parent pages, and
POSTs to the site's enrollment, completion and runtime APIs with the learner's credentials, by
fetch, by a form and by a forged message to the lesson page. Nothing of the session reaches it
and nothing changes on the site; what it may do is write its own cmi data through the runtime.

The probe's own report (on its page and in cmi.suspend_data, see
packages/sample_files/hostile/probe.js) is checked for the session's secrets, and the database
for any change the requests could have made."""

from django.conf import settings
from playwright.sync_api import BrowserContext, expect

from courses.factories import CoursePageFactory, LessonPageFactory, provider_page_of
from learners import services
from learners.factories import UserFactory
from learners.models import Enrollment, LessonCompletion
from packages import samples
from packages.models import PackageLessonPage
from tests.e2e.helpers import E2E
from tests.e2e.package_helpers import (
    PLAYER,
    content,
    course_with_package,
    lesson_open,
    package_upload,
    runtime_quiet,
    stored,
)

pytestmark = E2E


def test_hostile_package_reads_no_session_and_changes_nothing_on_the_site(
    context: BrowserContext, provider, base_url, sign_in
):
    course, lesson = course_with_package(
        provider,
        samples.scorm12_hostile(),
        title="Keamanan Aplikasi",
        lesson_title="Paket uji keamanan",
    )
    other_lesson = LessonPageFactory(parent=lesson.get_parent(), title="Pelajaran berikutnya")
    other_course = CoursePageFactory(parent=provider_page_of(provider), title="Kursus lain")
    # The attacker knows the ids and the site's address: they are written into the package.
    hostile = package_upload(
        samples.scorm12_hostile(
            site_origin=base_url,
            course_id=other_course.pk,
            lesson_id=lesson.pk,
            other_lesson_id=other_lesson.pk,
        ),
        organization=provider,
    )
    PackageLessonPage.objects.filter(pk=lesson.pk).update(package=hostile)
    learner = UserFactory()
    enrollment, _created = services.enrollment_create(user=learner, course=course)
    sign_in(learner)

    # A page of its own: the Content Security Policy is expected to block the probe here, which
    # the usual `page` fixture would count as a failure.
    page = context.new_page()
    page.goto(course.url)  # the site sets its CSRF cookie, as a learner browsing has it
    cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies(base_url)}
    session, csrf = cookies[settings.SESSION_COOKIE_NAME], cookies[settings.CSRF_COOKIE_NAME]
    # On the site's own origin a script does read the CSRF cookie: the probe's blindness below
    # is the origin's doing, not an empty jar.
    assert csrf in page.evaluate("document.cookie")
    probe = lesson_open(page, lesson)
    expect(probe.locator("body[data-done=true]")).to_be_attached(timeout=20_000)

    def seen(name: str) -> str:
        return probe.locator(f'[data-probe="{name}"]').inner_text()

    # The site's page, cookies and storage are another origin's.
    assert "blocked" in seen("top cookie")
    assert "blocked" in seen("top location")
    assert "blocked" in seen("parent document")
    assert "blocked" in seen("site storage")
    assert "(empty)" in seen("own cookie")

    # The site's API is out of reach: the package's connect-src stops the requests in the
    # browser (they never leave it), and its own origin has no API.
    for name in ("site enrollment", "site completion", "site commit"):
        assert "blocked" in seen(name)
    for name in ("own origin enrollment", "own origin me"):
        assert "status 404" in seen(name)

    report = probe.locator("body").inner_text()
    state = stored(lesson, "ITEM-1", lambda s: "top cookie" in (s.cmi.get("suspend_data") or ""))
    for secret in (session, csrf):
        assert secret not in report
        assert secret not in state.cmi["suspend_data"]
    # The package origin set no cookie of its own.
    package_origin = base_url.replace("localhost", "127.0.0.1")
    assert context.cookies(package_origin) == []

    # Nothing the requests asked for happened: no enrollment in the other course, no completion
    # of the next lesson, and the package's own lesson not completed by a forged commit.
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(lesson.url)
    assert not Enrollment.objects.filter(user=learner, course=other_course).exists()
    assert not LessonCompletion.objects.filter(enrollment=enrollment).exists()
    expect(page.locator(PLAYER)).not_to_have_attribute("data-lesson-completed", "true")
    state.refresh_from_db()
    assert state.success_status != "passed"
    assert state.cmi.get("core", {}).get("lesson_status") != "passed"
    assert content(page).locator("body[data-done=true]").count() == 1
    runtime_quiet(page, lesson)
    page.close()

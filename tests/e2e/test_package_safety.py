"""A hostile package cannot act as the learner: its SCO reads cookies and the parent pages, and
POSTs to the site's enrollment, completion and runtime APIs with the learner's credentials, by
fetch, by a form and by a forged message to the lesson page. Nothing of the session reaches it
and nothing changes on the site; what it may do is write its own cmi data through the runtime.

The probe's own report (on its page and in cmi.suspend_data, see
packages/sample_files/hostile/probe.js) is checked for the session's secrets, and the database
for any change the requests could have made.

It runs in two configurations:
- the loopback twin (`make run`, `packages.origin`), with Django's cookie names;
- production's: the package origin on a subdomain of the site's domain, the same *site*
  (http://lentera.localhost and http://paket.lentera.localhost: Chromium resolves *.localhost
  to the machine and counts it a secure context). Same-site, the probe also tosses cookies
  (`csrftoken=evil; domain=lentera.localhost`, `sessionid=evil; ...`) that the site receives.
  As in production, the site's cookies are `__Host-` cookies (Secure, which Chromium stores
  from http://*.localhost as from HTTPS), which no other host can set: the learner's session and
  CSRF token stay the site's own, and the runtime's commits after the tossing still succeed.
  The POSTs themselves are stopped by the package CSP's connect-src and form-action and by
  Django's CSRF check of the Origin, whatever the cookies' names.
"""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import get_resolver
from playwright.sync_api import Browser, BrowserContext, expect

from courses.factories import CoursePageFactory, LessonPageFactory, provider_page_of
from learners import services
from learners.factories import UserFactory
from learners.models import Enrollment, LessonCompletion
from packages import samples
from packages.models import PackageLessonPage
from tests.e2e.conftest import CHROMIUM
from tests.e2e.helpers import E2E, VIEWPORTS, sign_in_with_form
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

SITE_HOST = "lentera.localhost"
PACKAGE_HOST = "paket.lentera.localhost"


@pytest.fixture(params=["loopback twin", "same site"])
def configuration(request) -> str:
    return request.param


@pytest.fixture
def base_url(live_server, settings, configuration) -> str:
    get_resolver().url_patterns  # noqa: B018 (see tests/e2e/conftest.py)
    if configuration == "loopback twin":
        settings.WAGTAILADMIN_BASE_URL = live_server.url
        return live_server.url
    port = urlsplit(live_server.url).port
    # One origin per package, as production's wildcard: p-<uuid hex>.paket.lentera.localhost.
    site, packages = f"http://{SITE_HOST}:{port}", f"http://*.{PACKAGE_HOST}:{port}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SITE_HOST, f".{PACKAGE_HOST}"]
    settings.WAGTAILADMIN_BASE_URL = site
    settings.LENTERA_PACKAGE_ORIGIN = packages
    # lentera.settings.production's names: only the site's own host can set these.
    settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE = "__Host-sessionid", True
    settings.CSRF_COOKIE_NAME, settings.CSRF_COOKIE_SECURE = "__Host-csrftoken", True
    return site


@pytest.fixture
def context(browser: Browser, base_url: str, configuration) -> Iterator[BrowserContext]:
    options = {"viewport": VIEWPORTS["desktop"], "locale": "id-ID", "timezone_id": "Asia/Jakarta"}
    if configuration == "loopback twin":
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(15_000)
        yield context
        context.close()
        return
    same_site = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            f"--host-resolver-rules=MAP *.{SITE_HOST} 127.0.0.1, MAP {SITE_HOST} 127.0.0.1",
        ],
    )
    context = same_site.new_context(base_url=base_url, **options)
    context.set_default_timeout(15_000)
    yield context
    context.close()
    same_site.close()


def test_hostile_package_reads_no_session_and_changes_nothing_on_the_site(
    context: BrowserContext, provider, base_url, configuration
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

    # A page of its own: the Content Security Policy is expected to block the probe here, which
    # the usual `page` fixture would count as a failure. Signed in through the form, so the
    # site sets its own cookies (Secure __Host- ones in the same-site configuration).
    page = context.new_page()
    sign_in_with_form(page, learner.email)
    page.goto(course.url)  # the site sets its CSRF cookie, as a learner browsing has it
    cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies(base_url)}
    session, csrf = cookies[settings.SESSION_COOKIE_NAME], cookies[settings.CSRF_COOKIE_NAME]
    # On the site's own origin a script does read the CSRF cookie: the probe's blindness below
    # is the origin's doing, not an empty jar.
    assert csrf in page.evaluate("document.cookie")
    probe = lesson_open(page, lesson)
    player_src = page.locator(f"{PLAYER} iframe").first.get_attribute("src")
    package_origin = "{0.scheme}://{0.netloc}".format(urlsplit(player_src))
    assert package_origin != base_url
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
    # The package origin's server set no cookie; the only ones its host gets are those the
    # probe tossed for its parent domains (the loopback names leave it none it may set).
    tossed = context.cookies(package_origin)
    assert all(cookie["value"] == "evil" for cookie in tossed), tossed
    if configuration == "loopback twin":
        assert tossed == []
    else:
        # The plain names were taken for lentera.localhost; the __Host- ones were refused.
        site_wide = [cookie for cookie in tossed if cookie["domain"] == f".{SITE_HOST}"]
        assert sorted(cookie["name"] for cookie in site_wide) == ["csrftoken", "sessionid"]
        assert not any(cookie["name"].startswith("__Host-") for cookie in tossed)
        # The site's own __Host- cookies are still the learner's: the session and CSRF token
        # the site reads are not the package's.
        site_cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies(base_url)}
        assert site_cookies[settings.SESSION_COOKIE_NAME] == session
        assert site_cookies[settings.CSRF_COOKIE_NAME] == csrf

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
    # After the tossing, the learner's session still works: the runtime's commit carrying the
    # probe's report (sent after it tossed) was stored above, and the learner's pages and API
    # answer as the learner.
    assert "cookie tossing" in state.cmi["suspend_data"]
    page.goto(course.url)
    enrollments = page.evaluate(
        "fetch('/api/v1/me/enrollments', {headers: {Accept: 'application/json'}})"
        ".then((response) => response.status)"
    )
    assert enrollments == 200
    assert Enrollment.objects.filter(user=learner).count() == 1
    page.close()

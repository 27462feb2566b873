"""The package lesson page: the player framed from the package origin, the package's items
with the learner's status, the runtime config, and what visitors, enrolled learners and those
who completed the lesson see; in a fixed number of queries whatever the number of items."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.factories import CoursePageFactory, ModulePageFactory, provider_page_of
from learners.factories import EnrollmentFactory, LessonCompletionFactory, UserFactory
from packages.factories import PackageFactory, PackageLessonPageFactory
from packages.models import Package, PackageAttempt, ScoState
from packages.selectors import ui_strings
from tests.security.test_headers import InlineCodeFinder

SANDBOX = 'sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-downloads"'


def package_of(organization, items: int) -> Package:
    """A SCORM 2004 package of `items` SCOs (the page reads only its manifest)."""
    entries = [
        {
            "identifier": f"SCO-{number}",
            "title": f"Bagian {number}",
            "parent": None,
            "depth": 0,
            "launch": f"sco{number}/index.html",
            "scorm_type": "sco",
            "mastery_score": None,
            "data_from_lms": "",
            "max_time_allowed": "",
            "time_limit_action": "",
            "completion_threshold": None,
            "scaled_passing_score": 0.8,
            "sequencing": None,
        }
        for number in range(1, items + 1)
    ]
    return Package.objects.create(
        title="Paket Uji",
        organization=organization,
        kind=Package.Kind.SCORM2004,
        schema_version="2004 4th Edition",
        source_file="packages/sources/uji.zip",
        sha256="0" * 64,
        manifest={
            "version": "2004 4th Edition",
            "title": "Paket Uji",
            "organization": "ORG",
            "items": entries,
            "structure": [
                {"identifier": "ORG", "title": "Paket Uji", "children": [], "sequencing": None}
            ],
            "sequencing_collection": None,
            "h5p": None,
        },
        file_count=items,
        size=1000,
    )


@pytest.fixture
def course(provider_a):
    return CoursePageFactory(parent=provider_page_of(provider_a), title="Kursus Paket")


@pytest.fixture
def module(course):
    return ModulePageFactory(parent=course, title="Modul Paket")


@pytest.fixture
def lesson(module, provider_a):
    return PackageLessonPageFactory(
        parent=module, title="Pelajaran Paket", package=package_of(provider_a, 2)
    )


@pytest.fixture
def learner(db):
    return UserFactory(email="peserta.paket@instansi.go.id", full_name="Budi Santoso")


@pytest.fixture
def enrollment(learner, course):
    return EnrollmentFactory(user=learner, course=course)


def runtime(response) -> dict:
    match = re.search(
        r'<script id="package-runtime" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no runtime config on the page"
    return json.loads(match.group(1))


def test_a_visitor_studies_the_package_in_browse_mode(client, lesson):
    response = client.get(lesson.url)
    html = response.content.decode()
    config = runtime(response)

    assert response.status_code == 200
    # The package's own origin (the loopback twin of the test client's "testserver").
    player_url = f"http://p-{lesson.package.uuid.hex}.localhost/paket/{lesson.package.uuid}/putar/"
    assert f'<iframe class="package-player__frame" src="{player_url}"' in html
    assert SANDBOX in html
    assert 'allow="fullscreen; autoplay"' in html
    assert 'id="package-player"' in html and 'data-package-state="loading"' in html
    assert (config["mode"], config["enrolled"], config["playerUrl"]) == (
        "browse",
        False,
        player_url,
    )
    assert config["learner"] == {"id": "", "name": ""}
    # How to have it recorded: sign in and enroll.
    assert f"{reverse('account_login')}?next=" in html
    assert 'data-package-mode="browse"' in html
    assert "<noscript>" in html


def test_the_site_policy_lets_the_page_frame_the_package_origin_only(client, lesson):
    response = client.get(lesson.url)
    directives = {
        name: sources
        for name, *sources in (
            part.split() for part in response["Content-Security-Policy"].split(";")
        )
    }

    # Every package's origin (p-<uuid hex>.localhost), as one source expression.
    assert "http://*.localhost" in directives["frame-src"]
    assert "http://*.localhost" not in directives["connect-src"]
    assert "http://*.localhost" not in directives["script-src"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_the_page_has_no_inline_code(client, lesson, enrollment, learner):
    client.force_login(learner)
    finder = InlineCodeFinder()

    finder.feed(client.get(lesson.url).content.decode())

    assert finder.tags > 50
    assert finder.found == []


def test_a_signed_in_visitor_who_is_not_enrolled_is_sent_to_the_course(client, lesson, course):
    client.force_login(UserFactory())

    response = client.get(lesson.url)
    html = response.content.decode()

    assert runtime(response)["mode"] == "browse"
    assert f'<a href="{course.url}">' in html
    assert 'data-package-mode="browse"' in html


def test_an_enrolled_learner_plays_with_their_state(client, lesson, enrollment, learner):
    attempt = PackageAttempt.objects.create(
        enrollment=enrollment, lesson=lesson, package=lesson.package
    )
    ScoState.objects.create(
        attempt=attempt,
        item="SCO-1",
        completion_status="completed",
        success_status="passed",
        cmi={"location": "halaman-3", "suspend_data": "abc"},
    )
    client.force_login(learner)

    response = client.get(lesson.url)
    html = response.content.decode()
    config = runtime(response)

    assert (config["mode"], config["enrolled"], config["lessonCompleted"]) == (
        "normal",
        True,
        False,
    )
    assert config["learner"]["name"] == "Santoso, Budi"
    assert 'data-package-mode="browse"' not in html
    assert 'data-package-mode="review"' not in html
    # The outline: each item, its status in words; the learner's first item is marked.
    sco_1 = re.search(r'<li [^>]*data-package-item="SCO-1"[^>]*>(.*?)</li>', html, re.S)
    sco_2 = re.search(r'<li [^>]*data-package-item="SCO-2"[^>]*>(.*?)</li>', html, re.S)
    statuses = ui_strings()["statuses"]
    assert "Bagian 1" in sco_1.group(1) and statuses["passed"] in sco_1.group(1)
    assert "Bagian 2" in sco_2.group(1) and statuses["not attempted"] in sco_2.group(1)
    assert 'data-completion-status="completed"' in sco_1.group(0)
    # No "mark as done": the package completes the lesson.
    assert reverse("learners:complete_lesson", args=[lesson.pk]) not in html


def test_a_completed_lesson_opens_in_review(client, lesson, enrollment, learner):
    LessonCompletionFactory(enrollment=enrollment, lesson=lesson)
    client.force_login(learner)

    response = client.get(lesson.url)
    html = response.content.decode()

    assert runtime(response)["mode"] == "review"
    assert 'data-package-mode="review"' in html
    assert 'data-lesson-completed="true"' in html


def test_a_package_of_one_item_has_no_outline(client, module):
    # A package of the course's provider (PackageLessonPage.clean refuses any other).
    provider = module.get_parent().specific.provider
    lesson = PackageLessonPageFactory(parent=module, package=PackageFactory(organization=provider))

    html = client.get(lesson.url).content.decode()

    assert "data-package-item=" not in html
    assert "<iframe" in html


def test_where_packages_cannot_play_the_page_says_so(settings, client, lesson):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    settings.ALLOWED_HOSTS = ["lentera.example.go.id"]

    response = client.get(lesson.url, HTTP_HOST="lentera.example.go.id", secure=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<iframe" not in html
    assert 'id="package-runtime"' not in html
    assert ui_strings()["unavailable"] in html


def test_the_admin_preview_plays_in_browse_mode_even_for_an_enrolled_editor(
    client, lesson, course, editor_a
):
    EnrollmentFactory(user=editor_a, course=course)
    client.force_login(editor_a)

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]))

    assert response.status_code == 200
    config = runtime(response)
    assert (config["mode"], config["enrolled"]) == ("browse", False)
    assert "frame-src" in response["Content-Security-Policy"]
    frame_src = response["Content-Security-Policy"].split("frame-src", 1)[1].split(";", 1)[0]
    assert "http://*.localhost" in frame_src.split()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "enrolled", "completed"])
def test_the_page_takes_as_many_queries_for_20_items_as_for_2(
    client, module, provider_a, learner, course, role
):
    if role != "anonymous":
        enrollment = EnrollmentFactory(user=learner, course=course)
        client.force_login(learner)
    lessons = {}
    for count in (2, 20):
        lessons[count] = PackageLessonPageFactory(
            parent=module, title=f"Paket {count}", package=package_of(provider_a, count)
        )
        if role == "completed":
            LessonCompletionFactory(enrollment=enrollment, lesson=lessons[count])
        if role != "anonymous":
            attempt = PackageAttempt.objects.create(
                enrollment=enrollment, lesson=lessons[count], package=lessons[count].package
            )
            ScoState.objects.bulk_create(
                ScoState(attempt=attempt, item=f"SCO-{number}", completion_status="incomplete")
                for number in range(1, count + 1)
            )
    for lesson in lessons.values():  # warm the caches (site root paths, what each lesson keeps)
        _queries(client, lesson.url)

    assert _queries(client, lessons[2].url) == _queries(client, lessons[20].url)


def _render_tag(lesson, request):
    from django.template import Context, Template

    template = Template("{% load package_tags %}{% package_runtime lesson as r %}{{ r.mode }}")
    return template.render(Context({"lesson": lesson, "request": request}))


def test_a_lesson_previewed_before_its_first_save_plays_in_browse_mode(rf, module, provider_a):
    request = rf.get("/")
    request.user = UserFactory()
    request.is_preview = True
    lesson = PackageLessonPageFactory.build(
        package=package_of(provider_a, 2), path=module.path + "0001"
    )

    assert lesson.pk is None
    assert _render_tag(lesson, request) == "browse"


def test_a_lesson_without_a_package_has_no_runtime(client, rf, module, lesson):
    request = rf.get("/")
    request.user = UserFactory()
    lesson.package_id = None

    assert _render_tag(lesson, request) == ""

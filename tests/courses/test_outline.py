"""The course outline of course, module and lesson pages: windows and pages that keep a page light
however long the course, a cached copy that a change to the course replaces at once, the
learner's own state read per request (never from the cache), and queries that do not grow with
the course."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import get_template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses import outline as course_outline
from courses.factories import (
    LessonPageFactory,
    course_with_lessons,
    course_with_lessons_in_bulk,
    provider_page_of,
)
from courses.models import CoursePage, LessonPage, ModulePage
from learners import progress, services
from learners.factories import UserFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

LESSON_LINK = re.compile(r'<a href="[^"]*" data-lesson-id="(\d+)"')


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def modules_of(course) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(course).order_by("path"))


def side_outline(html: str) -> str:
    start = html.index('<nav class="module-nav"')
    return html[start : html.index("</nav>", start)]


def course_outline_section(html: str) -> str:
    start = html.index('aria-labelledby="outline-title"')
    return html[start : html.index("</section>\n</article>", start)]


def shown_lesson_ids(fragment: str) -> list[int]:
    return [int(pk) for pk in LESSON_LINK.findall(fragment)]


@pytest.fixture
def long_course(provider_a):
    """Eight modules of twelve lessons: 96 lessons (in bulk: 0.8 s less each test)."""
    return course_with_lessons_in_bulk(
        provider_page=provider_page_of(provider_a), title="Kursus Panjang",
        modules=8, lessons_per_module=12,
    )  # fmt: skip


@pytest.fixture
def learner(long_course):
    user = UserFactory(email="peserta@instansi.go.id")
    services.enrollment_create(user=user, course=long_course)
    return user


def test_a_lesson_shows_a_window_of_its_module_and_of_the_modules_around_it(client, long_course):
    lessons, modules = lessons_of(long_course), modules_of(long_course)
    lesson = lessons[3 * 12 + 8]  # module 4, lesson 9
    html = client.get(lesson.url).content.decode()
    outline = side_outline(html)
    window = lessons[3 * 12 + 8 - course_outline.LESSON_WINDOW : 3 * 12 + 12]
    assert shown_lesson_ids(outline) == [item.pk for item in window]
    assert f'data-lesson-id="{lesson.pk}" aria-current="page"' in outline
    assert outline.count('aria-current="page"') == 1
    # The modules either side of module 4 (2, 3, 5, 6), as links; the others are counted.
    shown_modules = [m for m in modules if f'href="{m.url}"' in outline]
    around = course_outline.MODULE_WINDOW
    assert shown_modules == modules[3 - around : 3] + [modules[3]] + modules[4 : 4 + around]
    assert modules[0].title not in outline and modules[7].title not in outline
    nav = client.get(lesson.url).context["nav"]
    assert (nav.lessons_before, nav.lessons_after) == (3, 0)
    assert (nav.modules_hidden_before, nav.modules_hidden_after) == (1, 2)
    assert f'href="{long_course.url}?modul=1#outline-title"' in outline
    # Numbering, previous and next count the whole course, not the window.
    assert (nav.number, nav.count) == (45, 96)
    assert (nav.previous.pk, nav.next.pk) == (lessons[43].pk, lessons[45].pk)


def test_the_last_lesson_of_a_module_leads_to_the_next_module(client, long_course):
    lessons = lessons_of(long_course)
    response = client.get(lessons[11].url)
    assert response.context["next_lesson"].pk == lessons[12].pk
    assert response.context["next_lesson"].url == lessons[12].url
    response = client.get(lessons[-1].url)
    assert response.context["next_lesson"] is None
    assert response.context["lesson_number"] == 96


def test_a_long_course_page_pages_its_modules(client, provider_a):
    course = course_with_lessons_in_bulk(
        provider_page=provider_page_of(provider_a), title="Kursus Bermodul",
        modules=course_outline.COURSE_MODULES_PER_PAGE + 5, lessons_per_module=2,
    )  # fmt: skip
    modules = modules_of(course)
    first = course_outline_section(client.get(course.url).content.decode())
    assert all(
        f'id="module-{m.pk}"' in first for m in modules[: course_outline.COURSE_MODULES_PER_PAGE]
    )
    assert f'id="module-{modules[-1].pk}"' not in first
    assert 'href="?modul=2#outline-title" rel="next"' in first
    second = course_outline_section(client.get(f"{course.url}?modul=2").content.decode())
    assert [m for m in modules if f'id="module-{m.pk}"' in second] == modules[-5:]
    assert 'start="21"' in second and 'rel="prev"' in second
    # Lessons are listed only for a short course; a nonsense page number shows the first page.
    assert shown_lesson_ids(first) == []
    assert course_outline_section(client.get(f"{course.url}?modul=x").content.decode()) == first
    # A module's "back to the outline" goes to the outline page that lists it.
    html = client.get(modules[-1].url).content.decode()
    assert f'{course.url}?modul=2#module-{modules[-1].pk}"' in html


def test_a_new_title_published_shows_at_once_a_draft_never(client, long_course):
    lessons = lessons_of(long_course)
    lesson, neighbour = lessons[1], lessons[2]
    assert neighbour.title in client.get(lesson.url).content.decode()
    assert client.get(long_course.url).status_code == 200  # the course outline is cached too

    neighbour.title = "Judul Konsep Baru"
    neighbour.save_revision()  # a draft: nothing changes for learners
    assert "Judul Konsep Baru" not in client.get(lesson.url).content.decode()

    neighbour = LessonPage.objects.get(pk=neighbour.pk)
    neighbour.title = "Judul Terbit Baru"
    neighbour.save_revision().publish()
    assert "Judul Terbit Baru" in side_outline(client.get(lesson.url).content.decode())
    module_html = client.get(modules_of(long_course)[0].url).content.decode()
    assert "Judul Terbit Baru" in module_html


def test_a_title_change_shows_on_a_short_course_page_at_once(client, course_a):
    lesson = lessons_of(course_a)[0]
    assert lesson.title in course_outline_section(client.get(course_a.url).content.decode())
    lesson.title = "Pelajaran Berganti Nama"
    lesson.save_revision().publish()
    section = course_outline_section(client.get(course_a.url).content.decode())
    assert "Pelajaran Berganti Nama" in section


def test_an_unpublished_lesson_leaves_the_outline_and_the_numbering(client, long_course):
    lessons = lessons_of(long_course)
    response = client.get(lessons[3].url)
    assert (response.context["lesson_number"], response.context["lesson_count"]) == (4, 96)
    lessons[1].unpublish()
    response = client.get(lessons[3].url)
    assert (response.context["lesson_number"], response.context["lesson_count"]) == (3, 95)
    assert lessons[1].pk not in shown_lesson_ids(side_outline(response.content.decode()))
    assert response.context["previous_lesson"].pk == lessons[2].pk


def test_a_lesson_published_later_joins_the_outline(client, long_course):
    module = modules_of(long_course)[0]
    lessons = lessons_of(long_course)
    assert client.get(lessons[-1].url).context["lesson_count"] == 96
    draft = LessonPageFactory(parent=module, title="Pelajaran Tambahan", live=False)
    assert client.get(lessons[-1].url).context["lesson_count"] == 96
    draft.save_revision().publish()
    response = client.get(lessons[10].url)
    assert response.context["lesson_count"] == 97
    assert response.context["next_lesson"].pk == lessons[11].pk
    assert draft.pk in shown_lesson_ids(side_outline(client.get(lessons[11].url).content.decode()))


def test_a_moved_lesson_takes_its_new_place(client, long_course):
    lessons, modules = lessons_of(long_course), modules_of(long_course)
    moved = lessons[0]
    assert client.get(lessons[1].url).context["previous_lesson"].pk == moved.pk
    moved.move(modules[1], pos="last-child")
    moved = LessonPage.objects.get(pk=moved.pk)
    response = client.get(lessons[1].url)
    assert response.context["previous_lesson"] is None
    assert response.context["lesson_number"] == 1
    response = client.get(moved.url)
    assert response.context["module"].pk == modules[1].pk
    assert response.context["lesson_number"] == 24
    assert response.context["next_lesson"].pk == lessons[24].pk


def test_a_restricted_module_leaves_the_outline(client, long_course):
    lessons, modules = lessons_of(long_course), modules_of(long_course)
    assert client.get(lessons[0].url).context["lesson_count"] == 96
    restriction = PageViewRestriction.objects.create(
        page=modules[7], restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(lessons[0].url).context["lesson_count"] == 84
    restriction.delete()
    assert client.get(lessons[0].url).context["lesson_count"] == 96


def test_learners_see_their_own_lessons_done_never_anothers(long_course, learner):
    lessons = lessons_of(long_course)
    other = UserFactory(email="lain@instansi.go.id")
    services.enrollment_create(user=other, course=long_course)
    for lesson in lessons[:3]:
        progress.lesson_complete(user=other, lesson=lesson)
    progress.lesson_complete(user=learner, lesson=lessons[2])

    pages = {}
    for user in (other, learner, None):
        client = Client()
        if user is not None:
            client.force_login(user)
        pages[user] = client.get(lessons[1].url).content.decode()
    done = re.compile(r'data-lesson-id="(\d+)"[^<]*</a> <span class="badge">✓')
    assert [int(pk) for pk in done.findall(side_outline(pages[other]))] == [
        lesson.pk for lesson in lessons[:3]
    ]
    assert [int(pk) for pk in done.findall(side_outline(pages[learner]))] == [lessons[2].pk]
    assert done.findall(side_outline(pages[None])) == []
    # Progress is each learner's own: 3 and 1 of 96 required lessons.
    assert 'value="3"' in pages[other] and 'value="1"' in pages[learner]


def test_the_course_page_outline_is_the_same_for_everyone(long_course, learner):
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(learner)
    progress.lesson_complete(user=learner, lesson=lessons_of(long_course)[0])
    mine = course_outline_section(signed_in.get(long_course.url).content.decode())
    theirs = course_outline_section(anonymous.get(long_course.url).content.decode())
    assert mine == theirs


def test_viewing_a_lesson_writes_nothing(long_course, learner):
    client = Client()
    client.force_login(learner)
    lesson = lessons_of(long_course)[5]
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    assert not [q for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]


def _course_of(provider, lessons: int) -> CoursePage:
    # In bulk, all three alike: page by page, the 1,202 lessons were 80% of this test's time.
    modules, per_module = (1, lessons) if lessons < 10 else (lessons // 10, 10)
    return course_with_lessons_in_bulk(
        provider_page=provider_page_of(provider), title=f"Kursus {lessons} Pelajaran",
        modules=modules, lessons_per_module=per_module,
    )  # fmt: skip


def test_queries_stay_the_same_for_2_200_and_1000_lessons(provider_a):
    learner = UserFactory(email="peserta@instansi.go.id")
    signed_in = Client()
    signed_in.force_login(learner)
    anonymous = Client()
    counts = []
    for size in (2, 200, 1000):
        course = _course_of(provider_a, size)
        services.enrollment_create(user=learner, course=course)
        lessons = lessons_of(course)
        progress.lesson_complete(user=learner, lesson=lessons[0])
        lesson = lessons[len(lessons) // 2]
        module = modules_of(course)[-1]
        counts.append(
            [
                count_queries(client, url)
                for client in (signed_in, anonymous)
                for url in (lesson.url, course.url, module.url)
            ]
        )
        # A page of the long course stays small: a window of its outline, a page of modules.
        if size == 1000:
            for url in (lesson.url, course.url):
                assert len(signed_in.get(url).content) < 60 * 1024
    assert counts[0] == counts[1] == counts[2]


def test_the_userbar_shows_to_editors_and_costs_a_learner_no_permission_query(
    long_course, learner, editor_a
):
    lesson = lessons_of(long_course)[0]
    clients = {}
    for user in (learner, editor_a):
        clients[user] = Client()
        clients[user].force_login(user)
    assert "w-userbar" in clients[editor_a].get(lesson.url).content.decode()
    clients[learner].get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        html = clients[learner].get(lesson.url).content.decode()
    assert "w-userbar" not in html
    assert not [q for q in queries if '"auth_permission"."codename" AS' in q["sql"]]


def test_an_unpublished_prerequisite_leaves_the_cached_course_page(client, provider_a, course_a):
    first = course_with_lessons(provider_page=provider_page_of(provider_a), title="Dasar Etika")
    course_a.prerequisites.set([first])
    course_a.save()
    assert f'href="{first.url}"' in client.get(course_a.url).content.decode()
    first.unpublish()
    assert f'href="{first.url}"' not in client.get(course_a.url).content.decode()


def test_a_cached_course_page_reads_no_view_restrictions_for_its_prerequisites(
    client, provider_a, course_a
):
    first = course_with_lessons(provider_page=provider_page_of(provider_a), title="Dasar Etika")
    course_a.prerequisites.set([first])
    course_a.save()
    assert f'href="{first.url}"' in client.get(course_a.url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(course_a.url).content.decode()
    assert f'href="{first.url}"' in html
    # Neither Wagtail's check of the course page's restrictions (kept with the outline) nor a
    # second one for `public()`.
    assert not [q for q in queries if '"wagtailcore_pageviewrestriction"' in q["sql"]]


def test_values_cached_by_another_release_are_never_read(client, long_course, learner, monkeypatch):
    """A cache shared across a deploy (Redis) holds what the previous release cached for the same
    course version: the keys carry the cache format, so this release never reads a value of
    another shape (a tuple handed to `{% pageurl %}` failed a course page once)."""
    signed_in = Client()
    signed_in.force_login(learner)
    lesson = lessons_of(long_course)[3]
    urls = (long_course.url, lesson.url, lesson.get_parent().url)
    with monkeypatch.context() as previous_release:
        previous_release.setattr(course_outline, "cache_format", lambda: "previous-release")
        for url in urls:
            assert signed_in.get(url).status_code == 200
            assert client.get(url).status_code == 200
    # What the other release cached (the outline and the course page's rendered parts), of a
    # shape this one cannot use.
    keys = [key.split(":", 2)[2] for key in cache._cache if ":courses:outline:" in key]
    assert any(key.endswith(":course-page:course_header") for key in keys)
    cache.set_many(dict.fromkeys(keys, ("lesson", 1)))
    for url in urls:
        for browser in (signed_in, client):
            response = browser.get(url)
            assert response.status_code == 200
            assert long_course.title in response.content.decode()


@pytest.fixture
def fresh_cache_format():
    """`cache_format` is computed once per process: again for the test, and again after it."""
    course_outline.cache_format.cache_clear()
    yield
    course_outline.cache_format.cache_clear()


@pytest.mark.parametrize(
    ("template", "element", "changes_the_format"),
    [
        ("courses/course_page.html", '<h1 id="page-title">', True),
        # Included by a cached part (the breadcrumb).
        ("components/breadcrumb.html", "<ol>", True),
        # Included by the course page outside its cached parts: rendered on every request.
        ("learners/enrollment_panel.html", '<h2 id="enrollment-title">', False),
    ],
)
def test_the_cache_format_follows_the_templates_of_the_cached_parts(
    client, course_a, settings, tmp_path, fresh_cache_format, template, element, changes_the_format
):
    """A deploy that changes a template of a cached part never reads the parts the previous
    release rendered with the old one (nobody has to remember to change a format by hand)."""
    client.get(course_a.url)
    before = course_outline.course_page_key(course_a)
    source = get_template(template).template.source
    changed = tmp_path / template
    changed.parent.mkdir(parents=True)
    assert element in source
    changed.write_text(source.replace(element, f"{element}<!-- the next release -->", 1))
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    course_outline.cache_format.cache_clear()

    after = course_outline.course_page_key(course_a)
    html = client.get(course_a.url).content.decode()

    assert (after != before) is changes_the_format
    assert "<!-- the next release -->" in html


def test_the_cache_format_follows_the_release_the_deployment_names(
    course_a, settings, fresh_cache_format
):
    before = course_outline.course_page_key(course_a)
    settings.LENTERA_RELEASE = "2026.12.2"
    course_outline.cache_format.cache_clear()

    assert course_outline.course_page_key(course_a) != before


def test_continue_learning_needs_only_the_compact_lesson_order_not_the_outline(
    long_course, learner
):
    lessons = lessons_of(long_course)
    progress.lesson_complete(user=learner, lesson=lessons[0])
    client = Client()
    client.force_login(learner)
    client.get(long_course.url)
    # The whole outline leaves the cache (it is 100 KB and more at 1,000 lessons): a warm course
    # page does without it, reading no module or lesson rows.
    cache.delete_many([key.split(":", 2)[2] for key in cache._cache if key.endswith(":all")])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(long_course.url).content.decode()
    assert f'<a class="button" href="{lessons[1].url}">' in html  # continue learning
    assert not [q for q in queries if '"courses_lessonpage"' in q["sql"]]

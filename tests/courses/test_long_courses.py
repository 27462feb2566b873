"""Long courses stay light: the course page lists modules only above OUTLINE_LESSON_LIMIT
lessons, and a lesson's side outline lists only its own module's lessons (a window of them:
tests/courses/test_outline.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.factories import course_with_lessons, provider_page_of
from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_course(provider_a):
    return course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Kursus Panjang",
        modules=4, lessons_per_module=9,
    )  # fmt: skip


def test_a_short_course_page_lists_every_lesson(client, course_a):
    html = client.get(course_a.url).content.decode()
    for lesson in LessonPage.objects.descendant_of(course_a):
        assert lesson.title in html


def test_a_long_course_page_lists_modules_with_their_lesson_counts(client, long_course):
    assert LessonPage.objects.descendant_of(long_course).count() > CoursePage.OUTLINE_LESSON_LIMIT
    response = client.get(long_course.url)
    html = response.content.decode()
    assert "Modul 4: Kursus Panjang" in html
    assert "Pelajaran 1.1: Kursus Panjang" not in html
    assert response.context["lesson_count"] == 36
    outline = response.context["outline_page"]()
    assert [module.lesson_count for module, _lessons in outline.modules] == [9, 9, 9, 9]


def test_a_lesson_lists_its_own_module_and_links_across_modules(client, long_course):
    lessons = list(LessonPage.objects.descendant_of(long_course).order_by("path"))
    last_of_module_two = lessons[17]
    response = client.get(last_of_module_two.url)
    html = response.content.decode()
    assert "Pelajaran 2.4: Kursus Panjang" in html  # same module, within the window
    assert "Pelajaran 3.2: Kursus Panjang" not in html  # another module: its title only
    assert response.context["next_lesson"].pk == lessons[18].pk  # first of module three
    assert response.context["previous_lesson"].pk == lessons[16].pk
    assert (response.context["lesson_number"], response.context["lesson_count"]) == (18, 36)


def test_lesson_queries_do_not_grow_with_the_course(client, provider_a, long_course):
    short = course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Kursus Pendek",
        modules=2, lessons_per_module=2,
    )  # fmt: skip
    counts = []
    for course in (short, long_course):
        lesson = LessonPage.objects.descendant_of(course).order_by("path")[1]
        client.get(lesson.url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(lesson.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

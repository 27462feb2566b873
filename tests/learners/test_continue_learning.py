""" "Continue learning" leads to the first unfinished lesson in course order, the post-test only
once every other required lesson is done, and nowhere once the course is completed; the same on
the course page and on "my learning", in a number of queries that does not grow with the course."""

import re

import pytest
from django.test import Client

from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from courses.models import LessonPage
from learners import progress, selectors, services
from learners.factories import UserFactory
from learners.models import Enrollment
from quizzes.factories import QuizPageFactory
from quizzes.models import QuizPage
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

CONTINUE = re.compile(r'<a class="button" href="([^"]+)">Continue learning')


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


def course_with_post_test(provider, *, title: str, modules: int = 2, lessons_per_module: int = 2):
    """A course whose last module ends with a post-test (requiring the lessons, the default)."""
    course = CoursePageFactory(parent=provider_page_of(provider), title=title)
    CourseCompetencyFactory(page=course)
    lessons = []
    for number in range(1, modules + 1):
        module = ModulePageFactory(parent=course, title=f"Modul {number} {title}")
        lessons += [
            LessonPageFactory(parent=module, title=f"Pelajaran {number}.{n} {title}")
            for n in range(1, lessons_per_module + 1)
        ]
    post_test = QuizPageFactory(
        parent=module, title=f"Ujian akhir {title}", role=QuizPage.Role.POST_TEST
    )
    return course, lessons, QuizPage.objects.get(pk=post_test.pk)


def continue_url(client: Client, url: str) -> str | None:
    match = CONTINUE.search(client.get(url).content.decode())
    return match.group(1) if match else None


@pytest.fixture
def learner(db):
    return UserFactory(email="budi@instansi.go.id", full_name="Budi Santoso, S.Sos.")


@pytest.fixture
def client(learner):
    client = Client()
    client.force_login(learner)
    return client


def test_continue_skips_the_post_test_opened_last_for_the_first_unfinished_lesson(
    provider_a, learner, client
):
    course, lessons, post_test = course_with_post_test(provider_a, title="Etika")
    services.enrollment_create(user=learner, course=course)
    progress.lesson_complete(user=learner, lesson=lessons[0])
    # The learner peeks at the post-test (at 25%): a page view records nothing.
    assert client.get(post_test.url).status_code == 200
    assert Enrollment.objects.get(user=learner).last_lesson_id != post_test.pk

    assert continue_url(client, course.url) == lessons[1].url
    assert continue_url(client, "/saya/") == lessons[1].url


def test_continue_goes_back_to_a_lesson_skipped_earlier_in_the_course(provider_a, learner, client):
    course, lessons, _post_test = course_with_post_test(provider_a, title="Etika")
    services.enrollment_create(user=learner, course=course)
    for lesson in lessons[1:]:
        progress.lesson_complete(user=learner, lesson=lesson)
    client.get(lessons[3].url)

    assert continue_url(client, course.url) == lessons[0].url


def test_continue_leads_to_the_post_test_once_every_lesson_is_done(provider_a, learner, client):
    course, lessons, post_test = course_with_post_test(provider_a, title="Etika")
    services.enrollment_create(user=learner, course=course)
    for lesson in lessons:
        progress.lesson_complete(user=learner, lesson=lesson)

    assert continue_url(client, course.url) == post_test.url
    assert continue_url(client, "/saya/") == post_test.url


def test_an_optional_lesson_does_not_hold_back_the_way_forward(provider_a, learner, client):
    course, lessons, post_test = course_with_post_test(provider_a, title="Etika")
    LessonPage.objects.filter(pk=lessons[0].pk).update(required_for_completion=False)
    services.enrollment_create(user=learner, course=course)
    for lesson in lessons[1:]:
        progress.lesson_complete(user=learner, lesson=lesson)

    assert continue_url(client, course.url) == post_test.url


def test_a_post_test_open_at_any_time_keeps_its_place_in_course_order(provider_a, learner):
    course, lessons, post_test = course_with_post_test(provider_a, title="Etika")
    QuizPage.objects.filter(pk=post_test.pk).update(requires_lessons_completed=False)
    enrollment, _ = services.enrollment_create(user=learner, course=course)
    for lesson in lessons:
        progress.lesson_complete(user=learner, lesson=lesson)
    enrollment.course = course

    course_progress = selectors.enrollments_progress([enrollment])[enrollment.pk]
    assert course_progress.next_lesson.pk == post_test.pk


def test_a_completed_course_shows_no_continue_button_but_its_completion(
    provider_a, learner, client
):
    course, lessons, post_test = course_with_post_test(provider_a, title="Etika")
    QuizPage.objects.filter(pk=post_test.pk).update(required_for_completion=False)
    services.enrollment_create(user=learner, course=course)
    for lesson in lessons:
        progress.lesson_complete(user=learner, lesson=lesson)
    assert Enrollment.objects.get(user=learner).status == Enrollment.Status.COMPLETED

    page = client.get(course.url).content.decode()
    assert continue_url(client, course.url) is None
    assert "You completed this course on" in page
    assert "Download certificate (PDF)" in page


def test_continue_costs_the_same_queries_for_a_short_and_a_long_course(provider_a, learner):
    short, short_lessons, _ = course_with_post_test(provider_a, title="Pendek", modules=1)
    long, long_lessons, _ = course_with_post_test(
        provider_a, title="Panjang", modules=4, lessons_per_module=8
    )
    client = Client()
    client.force_login(learner)
    counts = []
    for course, lessons in ((short, short_lessons), (long, long_lessons)):
        services.enrollment_create(user=learner, course=course)
        progress.lesson_complete(user=learner, lesson=lessons[0])
        counts.append(count_queries(client, course.url))
    assert counts[0] == counts[1]
    assert continue_url(client, long.url) == long_lessons[1].url

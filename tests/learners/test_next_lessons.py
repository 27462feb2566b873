"""`enrollments_next_lessons` chooses in the database, in one query for any number of courses
of any length, the lesson `continue_lesson` chooses over the course's lessons in Python: the
first required lesson not done (a post-test that opens last only once no other required lesson
is left), then the first optional lesson not done, and nothing once everything is done."""

import itertools
import random

import pytest

from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from learners import services
from learners.factories import LessonCompletionFactory, UserFactory
from learners.selectors import _lessons_of, continue_lesson, enrollments_next_lessons
from quizzes.factories import QuizPageFactory
from quizzes.models import QuizPage

pytestmark = pytest.mark.django_db


def course_with_post_test(provider_page, title: str):
    """Two modules: a required lesson, an optional one and a required one; the post-test (which
    opens last) in the first module, before the last lesson in course order."""
    course = CoursePageFactory(parent=provider_page, title=title)
    CourseCompetencyFactory(page=course)
    first = ModulePageFactory(parent=course, title=f"{title} 1")
    second = ModulePageFactory(parent=course, title=f"{title} 2")
    LessonPageFactory(parent=first, title=f"{title}: asas")
    LessonPageFactory(parent=first, title=f"{title}: bacaan", required_for_completion=False)
    QuizPageFactory(parent=first, title=f"{title}: ujian akhir", role=QuizPage.Role.POST_TEST)
    LessonPageFactory(parent=second, title=f"{title}: standar")
    return course


def test_the_database_chooses_as_continue_lesson_does_in_every_state(provider_a):
    section = provider_page_of(provider_a)
    courses = [course_with_post_test(section, title) for title in ("Etika", "Integritas")]
    learner = UserFactory()
    enrollments = [services.enrollment_create(user=learner, course=c)[0] for c in courses]
    lessons = _lessons_of([e.course for e in enrollments])
    # Every subset of the first course's lessons done, with a random subset of the second's.
    rng = random.Random(7)  # noqa: S311 - a test's choice of states, not a secret
    first_lessons = lessons[courses[0].pk]
    for size in range(len(first_lessons) + 1):
        for done_first in itertools.combinations(first_lessons, size):
            done_second = [ls for ls in lessons[courses[1].pk] if rng.random() < 0.5]
            for enrollment, done in zip(enrollments, (done_first, done_second), strict=True):
                enrollment.completions.all().delete()
                for lesson in done:
                    LessonCompletionFactory(enrollment=enrollment, lesson=lesson)

            chosen = enrollments_next_lessons(enrollments)

            for enrollment, done in zip(enrollments, (done_first, done_second), strict=True):
                expected = continue_lesson(
                    lessons[enrollment.course_id], done={lesson.pk for lesson in done}
                )
                got = chosen[enrollment.pk]
                assert (got and got.pk) == (expected and expected.pk), [d.title for d in done]


def test_one_query_for_many_long_courses(provider_a, django_assert_num_queries):
    section = provider_page_of(provider_a)
    learner = UserFactory()
    enrollments = []
    for title in ("Satu", "Dua", "Tiga"):
        course = course_with_post_test(section, title)
        module = ModulePageFactory(parent=course, title=f"{title} 3")
        for number in range(8):
            LessonPageFactory(parent=module, title=f"{title}: tambahan {number}")
        enrollments.append(services.enrollment_create(user=learner, course=course)[0])

    with django_assert_num_queries(1):
        chosen = enrollments_next_lessons(enrollments)

    assert [chosen[e.pk].title for e in enrollments] == ["Satu: asas", "Dua: asas", "Tiga: asas"]

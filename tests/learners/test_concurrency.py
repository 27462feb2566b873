"""Twenty simultaneous completions of the last lesson issue exactly one certificate.

On both databases the default settings can run: PostgreSQL, where the enrollment's row lock
serializes the completions, and SQLite (a file in WAL mode, `concurrent_database`), where the
IMMEDIATE transactions of `lesson_complete` take the database's one write lock in turn, so the
race cannot happen inside them; the tests then prove the outcome is exact all the same (one
completion, one certificate), whatever order the threads arrive in.
"""

from functools import partial

import pytest

from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment, LessonCompletion
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]


def test_concurrent_last_lesson_completions_issue_one_certificate(course_a):
    learner = UserFactory(email="serentak@instansi.go.id")
    services.enrollment_create(user=learner, course=course_a)
    lessons = list(LessonPage.objects.live().descendant_of(course_a).order_by("path"))
    for lesson in lessons[:-1]:
        progress.lesson_complete(user=learner, lesson=lesson)
    last = lessons[-1]

    outcomes = race(*[lambda: progress.lesson_complete(user=learner, lesson=last)] * 20)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert LessonCompletion.objects.filter(lesson=last).count() == 1
    assert Enrollment.objects.get(user=learner).status == Enrollment.Status.COMPLETED
    assert Certificate.objects.filter(enrollment__user=learner).count() == 1


def test_concurrent_completions_of_different_last_lessons_complete_the_course(course_a):
    learner = UserFactory(email="paralel@instansi.go.id")
    services.enrollment_create(user=learner, course=course_a)
    lessons = list(LessonPage.objects.live().descendant_of(course_a).order_by("path"))
    for lesson in lessons[:-2]:
        progress.lesson_complete(user=learner, lesson=lesson)

    outcomes = race(
        *[partial(progress.lesson_complete, user=learner, lesson=lesson) for lesson in lessons[-2:]]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert Enrollment.objects.get(user=learner).status == Enrollment.Status.COMPLETED
    assert Certificate.objects.filter(enrollment__user=learner).count() == 1


def test_concurrent_completions_of_one_enrollment_are_all_counted_in_its_stored_progress(
    course_a,
):
    learner = UserFactory(email="tersimpan.paralel@instansi.go.id")
    enrollment, _created = services.enrollment_create(user=learner, course=course_a)
    lessons = list(LessonPage.objects.live().descendant_of(course_a).order_by("path"))

    # Two lessons at once, neither the last: each transaction counts under the row lock, so
    # the second one counts the first's completion too.
    outcomes = race(
        *[partial(progress.lesson_complete, user=learner, lesson=lesson) for lesson in lessons[:2]]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    enrollment.refresh_from_db()
    assert (enrollment.required_total, enrollment.required_done) == (len(lessons), 2)
    latest = max(c.completed_at for c in LessonCompletion.objects.filter(enrollment=enrollment))
    assert enrollment.last_completed_at == latest

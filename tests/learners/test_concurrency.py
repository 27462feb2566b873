"""Twenty simultaneous completions of the last lesson issue exactly one certificate.

On both databases the default settings can run: PostgreSQL, where the enrollment's row lock
serializes the completions, and SQLite (a file in WAL mode, `concurrent_database`), where the
IMMEDIATE transactions of `lesson_complete` take the database's one write lock in turn, so the
race cannot happen inside them; the tests then prove the outcome is exact all the same (one
completion, one certificate), whatever order the threads arrive in.
"""

import threading

import pytest
from django.db import connection

from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment, LessonCompletion

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

    start = threading.Barrier(20)
    errors = []

    def complete():
        try:
            start.wait()
            progress.lesson_complete(user=learner, lesson=last)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert LessonCompletion.objects.filter(lesson=last).count() == 1
    assert Enrollment.objects.get(user=learner).status == Enrollment.Status.COMPLETED
    assert Certificate.objects.filter(enrollment__user=learner).count() == 1


def test_concurrent_completions_of_different_last_lessons_complete_the_course(course_a):
    learner = UserFactory(email="paralel@instansi.go.id")
    services.enrollment_create(user=learner, course=course_a)
    lessons = list(LessonPage.objects.live().descendant_of(course_a).order_by("path"))
    for lesson in lessons[:-2]:
        progress.lesson_complete(user=learner, lesson=lesson)

    start = threading.Barrier(2)

    def complete(lesson):
        try:
            start.wait()
            progress.lesson_complete(user=learner, lesson=lesson)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=(lesson,)) for lesson in lessons[-2:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Enrollment.objects.get(user=learner).status == Enrollment.Status.COMPLETED
    assert Certificate.objects.filter(enrollment__user=learner).count() == 1

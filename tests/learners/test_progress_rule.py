"""Every progress shown follows one rule (`learners.selectors.progress_percent`).

The share of the course's required, published lessons done, rounded half up; 100 once the
enrollment is finished (completed or since expired); and 0 for a course without required
lessons until it is finished, since such a course is never completed by its lessons
(`course_completion_rule_holds`). Each caller is asked: the "my learning" selector, the API's
enrollments, the completion answer, the lesson page and the trainer's cohort table.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cohorts.models import CohortMembership
from cohorts.selectors import cohort_enrollments, required_lesson_count, risk_rule
from cohorts.services import cohort_create
from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from learners.factories import EnrollmentFactory, LessonCompletionFactory, UserFactory
from learners.models import Enrollment
from learners.selectors import enrollments_progress, progress_percent

pytestmark = pytest.mark.django_db

PROGRESS_BAR = re.compile(r'<progress id="lesson-course-progress" max="100" value="(\d+)"')


def percents_shown(enrollment: Enrollment, *, lesson: LessonPage) -> dict[str, int]:
    """The enrollment's progress as each caller shows it."""
    learner, course = enrollment.user, enrollment.course
    client = Client()
    client.force_login(learner)
    shown = {
        "my learning": enrollments_progress([enrollment])[enrollment.pk].percent,
        "API enrollments": next(
            row["progress_percent"]
            for row in client.get("/api/v1/me/enrollments").json()
            if row["id"] == enrollment.pk
        ),
    }
    # The lesson page shows progress in an enrollment whose lessons count (not an expired one).
    bar = PROGRESS_BAR.search(client.get(lesson.url).content.decode())
    if enrollment.status != Enrollment.Status.EXPIRED:
        shown["lesson page"] = int(bar[1])
    trainer = UserFactory(email=f"pelatih{enrollment.pk}@instansi.go.id", trainer_of=course)
    cohort = cohort_create(
        course=course,
        name=f"Angkatan {enrollment.pk}",
        starts_on=timezone.localdate() - timedelta(days=7),
        ends_on=timezone.localdate() + timedelta(days=7),
        created_by=trainer,
    )
    CohortMembership.objects.create(
        cohort=cohort, enrollment=enrollment, via=CohortMembership.Via.TRAINER
    )
    rows = cohort_enrollments(
        cohort, required_count=required_lesson_count(cohort), rule=risk_rule(cohort)
    )
    shown["cohort table"] = rows.get(pk=enrollment.pk).percent
    if enrollment.status == Enrollment.Status.ACTIVE:
        # Completing a lesson again is idempotent, and answers the course's progress.
        response = client.post(
            f"/api/v1/lessons/{lesson.pk}/completion", content_type="application/json"
        )
        assert response.status_code in (200, 201), response.content
        shown["completion answer"] = response.json()["course_progress_percent"]
    return shown


def enrolled(course, status: str, *, done: list[LessonPage]) -> Enrollment:
    enrollment = EnrollmentFactory(
        course=course,
        status=status,
        started_at=timezone.now() - timedelta(days=3),
        completed_at=timezone.now() if status != Enrollment.Status.ACTIVE else None,
    )
    for lesson in done:
        LessonCompletionFactory(enrollment=enrollment, lesson=lesson)
    return Enrollment.objects.select_related("course", "user").get(pk=enrollment.pk)


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def test_the_rule():
    assert progress_percent(status="active", required=0, done=0) == 0
    assert progress_percent(status="active", required=8, done=1) == 13  # 12.5, half up
    assert progress_percent(status="active", required=3, done=2) == 67
    assert progress_percent(status="active", required=4, done=4) == 100
    assert progress_percent(status="completed", required=0, done=0) == 100
    assert progress_percent(status="expired", required=5, done=1) == 100


def test_a_course_without_required_lessons_is_0_everywhere_until_completed(provider_a):
    course = course_with_lessons(provider_page=provider_page_of(provider_a), title="Bacaan Bebas")
    LessonPage.objects.descendant_of(course).update(required_for_completion=False)
    first, second, *_ = lessons_of(course)
    active = enrolled(course, Enrollment.Status.ACTIVE, done=[first])
    shown = percents_shown(active, lesson=second)
    assert shown == dict.fromkeys(shown, 0), shown
    assert len(shown) == 5
    # Completing its lessons does not complete it: the completion rule needs a required lesson.
    active.refresh_from_db()
    assert active.status == Enrollment.Status.ACTIVE

    completed = enrolled(course, Enrollment.Status.COMPLETED, done=[])
    shown = percents_shown(completed, lesson=first)
    assert shown == dict.fromkeys(shown, 100), shown


def test_a_share_ending_in_half_rounds_up_everywhere(provider_a):
    course = course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Delapan Pelajaran", lessons_per_module=4
    )
    lessons = lessons_of(course)
    assert len(lessons) == 8
    shown = percents_shown(
        enrolled(course, Enrollment.Status.ACTIVE, done=lessons[:1]), lesson=lessons[0]
    )
    assert shown == dict.fromkeys(shown, 13), shown  # 1 of 8 is 12.5%
    assert len(shown) == 5


def test_an_expired_enrollment_shows_100_everywhere(provider_a):
    course = course_with_lessons(provider_page=provider_page_of(provider_a), title="Kedaluwarsa")
    lessons = lessons_of(course)
    expired = enrolled(course, Enrollment.Status.EXPIRED, done=lessons[:1])
    shown = percents_shown(expired, lesson=lessons[1])
    assert shown == dict.fromkeys(shown, 100), shown

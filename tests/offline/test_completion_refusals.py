"""A completion queued on a device and sent later is refused with a reason the learner can read:
the lesson was unpublished, or the enrollment withdrawn or never approved."""

import json
import uuid

import pytest
from django.utils import timezone

from courses.models import LessonPage
from learners.factories import EnrollmentFactory, UserFactory
from learners.models import Enrollment, LessonCompletion
from learners.services import enrollment_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory(email="peserta.luring@instansi.go.id")


@pytest.fixture
def lesson(course_a):
    return LessonPage.objects.live().descendant_of(course_a).order_by("path").first()


def _complete(client, lesson_id):
    return client.post(
        f"/api/v1/lessons/{lesson_id}/completion",
        json.dumps({"event_id": str(uuid.uuid4()), "completed_at": timezone.now().isoformat()}),
        content_type="application/json",
    )


def test_an_unpublished_lesson_is_refused_as_unavailable(
    english_interface, client_for, learner, course_a, lesson
):
    EnrollmentFactory(user=learner, course=course_a)
    lesson.unpublish(set_expired=False, commit=True, log_action=False)

    response = _complete(client_for(learner), lesson.pk)

    assert response.status_code == 404
    assert response.json() == {
        "code": "lesson_unavailable",
        "detail": "This lesson is no longer published, so it cannot be marked as done. "
        "Your other progress is kept.",
    }
    assert not LessonCompletion.objects.exists()


def test_a_deleted_lesson_is_refused_as_unavailable(client_for, learner, course_a, lesson):
    EnrollmentFactory(user=learner, course=course_a)
    lesson_id = lesson.pk
    lesson.delete()

    response = _complete(client_for(learner), lesson_id)

    assert response.status_code == 404
    assert response.json()["code"] == "lesson_unavailable"
    # In the learner's language (Indonesian by default).
    assert "tidak lagi diterbitkan" in response.json()["detail"]


def test_a_withdrawn_enrollment_says_so(english_interface, client_for, learner, course_a, lesson):
    enrollment = EnrollmentFactory(user=learner, course=course_a)
    enrollment_withdraw(enrollment=enrollment, user=learner)

    response = _complete(client_for(learner), lesson.pk)

    assert response.status_code == 403
    assert response.json() == {
        "code": "not_enrolled",
        "detail": "Your enrollment in this course was withdrawn, so its lessons can no longer "
        "be marked as done.",
    }
    assert not LessonCompletion.objects.exists()


def test_an_enrollment_awaiting_approval_says_so(
    english_interface, client_for, learner, course_a, lesson
):
    EnrollmentFactory(user=learner, course=course_a, pending=True)

    response = _complete(client_for(learner), lesson.pk)

    assert response.status_code == 403
    assert response.json()["code"] == "not_enrolled"
    assert "awaiting approval" in response.json()["detail"]


def test_no_enrollment_at_all(english_interface, client_for, learner, lesson):
    response = _complete(client_for(learner), lesson.pk)

    assert response.status_code == 403
    assert response.json() == {
        "code": "not_enrolled",
        "detail": "Enroll in this course before completing its lessons.",
    }


def test_an_active_enrollment_records_the_completion_once(client_for, learner, course_a, lesson):
    EnrollmentFactory(user=learner, course=course_a)
    client = client_for(learner)
    body = json.dumps({"event_id": str(uuid.uuid4()), "completed_at": timezone.now().isoformat()})

    first = client.post(
        f"/api/v1/lessons/{lesson.pk}/completion", body, content_type="application/json"
    )
    again = client.post(
        f"/api/v1/lessons/{lesson.pk}/completion", body, content_type="application/json"
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["course_progress_percent"] == again.json()["course_progress_percent"] > 0
    assert LessonCompletion.objects.filter(enrollment__status=Enrollment.Status.ACTIVE).count() == 1


def _send(client, lesson_id, event_id):
    return client.post(
        f"/api/v1/lessons/{lesson_id}/completion",
        json.dumps({"event_id": str(event_id), "completed_at": timezone.now().isoformat()}),
        content_type="application/json",
    )


@pytest.mark.parametrize("change", ["unpublished", "withdrawn"])
def test_a_resent_completion_that_counted_is_answered_as_counted(
    change, client_for, learner, course_a, lesson
):
    """The device missed the first answer (a dropped connection) and sends again after the
    lesson was unpublished or the enrollment withdrawn: it counted, and the answer says so."""
    enrollment = EnrollmentFactory(user=learner, course=course_a)
    client = client_for(learner)
    event_id = uuid.uuid4()
    assert _send(client, lesson.pk, event_id).status_code == 201
    if change == "unpublished":
        lesson.unpublish(set_expired=False, commit=True, log_action=False)
    else:
        enrollment_withdraw(enrollment=enrollment, user=learner)

    response = _send(client, lesson.pk, event_id)

    assert response.status_code == 200
    assert response.json()["lesson_id"] == lesson.pk
    assert LessonCompletion.objects.filter(event_id=event_id).count() == 1


def test_another_learners_event_id_is_no_replay(client_for, learner, course_a, lesson):
    """Someone else's event id does not answer with their completion."""
    EnrollmentFactory(user=learner, course=course_a)
    event_id = uuid.uuid4()
    assert _send(client_for(learner), lesson.pk, event_id).status_code == 201
    other = UserFactory()
    lesson.unpublish(set_expired=False, commit=True, log_action=False)

    response = _send(client_for(other), lesson.pk, event_id)

    assert response.status_code == 404
    assert response.json()["code"] == "lesson_unavailable"

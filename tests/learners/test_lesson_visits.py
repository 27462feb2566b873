"""Opening a lesson is a read: it writes nothing (the lesson page of a busy day is mostly rereads).
The last lesson and the learner's last activity are what they completed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(course_a):
    enrollment, _created = services.enrollment_create(user=UserFactory(), course=course_a)
    return enrollment


def lessons_of(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def test_opening_a_lesson_writes_nothing(client_for, enrollment, course_a):
    first = lessons_of(course_a)[0]
    client = client_for(enrollment.user)
    assert client.get(first.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(first.url).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id is None
    assert enrollment.last_visited_at is None


def test_a_download_for_offline_use_is_no_visit(client_for, enrollment, course_a):
    """Saving a course for offline fetches every lesson: "continue learning" must not jump to
    the last one downloaded."""
    first = lessons_of(course_a)[0]
    response = client_for(enrollment.user).get(
        first.url, headers={"X-Lentera-Purpose": "offline-save"}
    )
    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id is None
    assert enrollment.last_visited_at is None


def test_completing_a_lesson_records_it_as_the_last_lesson(enrollment, course_a):
    first, second = lessons_of(course_a)[:2]
    Enrollment.objects.filter(pk=enrollment.pk).update(
        started_at=timezone.now() - timedelta(days=1)
    )
    progress.lesson_complete(user=enrollment.user, lesson=second)
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id == second.pk
    assert enrollment.last_visited_at is not None
    # A completion synced late from a device, done before the one recorded, does not move it.
    earlier = enrollment.last_completed_at - timedelta(hours=1)
    progress.lesson_complete(user=enrollment.user, lesson=first, completed_at=earlier)
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id == second.pk

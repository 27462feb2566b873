"""The session list and the attendance form read a fixed number of queries, whatever the
number of sessions (20 past ones a page, 20 upcoming) and members.

The session list: the session, the user, the cohort with its course, the viewer's rights (one
query), the upcoming sessions, the past ones' count and page, and a member's own attendance on
that page. The attendance form: session, user, the session with its cohort and course, rights,
the members with their accounts, and the attendance recorded."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import CohortMembership
from learners.factories import UserFactory
from learners.models import Enrollment
from live.models import Attendance, LiveSession

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]

LIST_QUERIES = {"member": 8, "trainer": 7}
ATTENDANCE_QUERIES = 6


def _sessions(cohort, count: int) -> None:
    now = timezone.now()
    LiveSession.objects.bulk_create(
        LiveSession(
            cohort=cohort,
            title=f"Sesi {n}",
            starts_at=now + timedelta(hours=n - count // 2),
            ends_at=now + timedelta(hours=n - count // 2, minutes=45),
            url="https://meet.example.go.id/sesi",
        )
        for n in range(count)
    )


def _members(cohort, count: int, trainer) -> None:
    users = UserFactory.create_batch(count)
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(user=user, course=cohort.course, status=Enrollment.Status.ACTIVE)
        for user in users
    )
    CohortMembership.objects.bulk_create(
        CohortMembership(cohort=cohort, enrollment=enrollment, via="trainer")
        for enrollment in enrollments
    )


def _count(client, url: str) -> int:
    client.get(url)  # caches warm (site root paths)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["member", "trainer"])
def test_session_list_queries_do_not_grow_with_sessions(client_for, cohort, member, trainer, role):
    client = client_for(member if role == "member" else trainer)
    url = reverse("live:cohort_sessions", args=[cohort.pk])
    _sessions(cohort, 2)
    small = _count(client, url)
    _sessions(cohort, 60)
    membership = cohort.memberships.get(enrollment__user=member)
    Attendance.objects.bulk_create(
        Attendance(session=session, membership=membership, present=True)
        for session in LiveSession.objects.filter(ends_at__lte=timezone.now())
    )
    assert _count(client, url) == small == LIST_QUERIES[role]
    assert _count(client, url + "?page=2") == small


def test_attendance_form_queries_do_not_grow_with_members(client_for, cohort, held, trainer):
    client = client_for(trainer)
    url = reverse("live:attendance", args=[held.pk])
    _members(cohort, 2, trainer)
    small = _count(client, url)
    _members(cohort, 80, trainer)
    memberships = list(cohort.memberships.all()[:40])
    Attendance.objects.bulk_create(
        Attendance(session=held, membership=membership, present=True) for membership in memberships
    )
    response = client.get(url)
    assert response.text.count('value="present"') == 82 + 1  # and "Everyone present"
    assert _count(client, url) == small == ATTENDANCE_QUERIES

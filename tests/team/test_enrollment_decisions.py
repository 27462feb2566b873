"""The confirmed direct supervisor decides the enrollment requests of their team, through the one
rule (`learners.permissions.enrollments_decidable_by`) that the queue and the service share; a
supervisor of another team, one whose link is not confirmed, and anyone on their own request
may not."""

import pytest

from learners import permissions, services
from learners.errors import LearningError
from learners.factories import EnrollmentFactory, UserFactory
from learners.models import Enrollment


@pytest.fixture
def request_of_member(member, course_b):
    return EnrollmentFactory(user=member, course=course_b, pending=True)


def test_the_confirmed_supervisor_decides_their_team_s_request(supervisor, request_of_member):
    assert list(permissions.enrollments_decidable_by(supervisor)) == [request_of_member]
    services.enrollment_decide(
        enrollment=request_of_member, decided_by=supervisor, approve=True, note=""
    )
    request_of_member.refresh_from_db()
    assert request_of_member.status == Enrollment.Status.ACTIVE


def test_the_supervisor_of_another_team_may_not(other_supervisor, request_of_member):
    assert not permissions.can_decide_enrollment(other_supervisor, request_of_member)
    with pytest.raises(LearningError):
        services.enrollment_decide(
            enrollment=request_of_member, decided_by=other_supervisor, approve=True, note=""
        )
    request_of_member.refresh_from_db()
    assert request_of_member.status == Enrollment.Status.PENDING


def test_a_supervisor_whose_link_is_not_confirmed_may_not(unconfirmed_supervisor, course_b):
    person = unconfirmed_supervisor.staff.get()
    request = EnrollmentFactory(user=person, course=course_b, pending=True)
    assert not permissions.can_decide_enrollment(unconfirmed_supervisor, request)
    assert not permissions.enrollments_decidable_by(unconfirmed_supervisor).exists()


def test_an_inactive_supervisor_may_not(supervisor, request_of_member):
    supervisor.is_active = False
    supervisor.save(update_fields=["is_active"])
    assert not permissions.can_decide_enrollment(supervisor, request_of_member)


def test_nobody_decides_their_own_request_even_as_their_own_supervisor(organization, course_b):
    # A chain that loops cannot be made any more; an old row that names oneself grants nothing.
    person = UserFactory(organization=organization)
    UserFactory._meta.model.objects.filter(pk=person.pk).update(supervisor=person)
    person.refresh_from_db()
    person.supervisor_confirmed_at = person.date_joined
    person.save(update_fields=["supervisor_confirmed_at"])
    own = EnrollmentFactory(user=person, course=course_b, pending=True)
    assert not permissions.can_decide_enrollment(person, own)


def test_the_supervisor_s_own_request_is_not_theirs_to_decide(supervisor, member, course_b):
    own = EnrollmentFactory(user=supervisor, course=course_b, pending=True)
    assert not permissions.can_decide_enrollment(supervisor, own)
    assert not permissions.can_decide_enrollment(member, own)


def test_the_queue_lists_the_team_s_requests(client, supervisor, request_of_member):
    client.force_login(supervisor)
    response = client.get("/saya/persetujuan/")
    assert list(response.context["enrollment_requests"]) == [request_of_member]

"""Nobody decides their own enrollment request, and the service itself checks who decides.

The decision rule has one home (`learners.permissions`): the approvals page, the cohort page and
any other caller of `enrollment_decide` (API, command, task) go through it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cohorts.members import cohort_join_request
from cohorts.services import cohort_create
from courses.choices import EnrollmentPolicy
from learners import errors, permissions, selectors, services
from learners.factories import UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval_course(course_a):
    course_a.enrollment_policy = EnrollmentPolicy.APPROVAL
    course_a.save_revision().publish()
    return course_a


def test_an_hr_admin_cannot_approve_their_own_request(approval_course, provider_b, client_for):
    hr = UserFactory(email="sdm@kb.go.id", organization=provider_b, admin_of=provider_b)
    own, _created = services.enrollment_create(user=hr, course=approval_course)
    client = client_for(hr)
    assert own not in selectors.enrollment_requests_for(hr)
    response = client.post(
        reverse("learners:enrollment_requests"), {"enrollment": own.pk, "decision": "approve"}
    )
    assert response.status_code == 404
    with pytest.raises(errors.EnrollmentRefused) as refused:
        services.enrollment_decide(enrollment=own, decided_by=hr, approve=True)
    assert refused.value.code == "own_request"
    own.refresh_from_db()
    assert own.status == Enrollment.Status.PENDING
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ENROLLMENT_DECIDED).exists()


def test_a_trainer_cannot_approve_their_own_request_to_join_their_cohort(
    approval_course, client_for
):
    trainer = UserFactory(email="pelatih@lpa.go.id", trainer_of=approval_course)
    cohort = cohort_create(
        course=approval_course,
        name="Angkatan Sendiri",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
        created_by=trainer,
    )
    own = cohort_join_request(cohort=cohort, user=trainer)
    assert own.status == Enrollment.Status.PENDING
    client = client_for(trainer)
    assert not permissions.can_decide_enrollment(trainer, own)
    for url, data in (
        (reverse("learners:enrollment_requests"), {"enrollment": own.pk, "decision": "approve"}),
        (
            reverse("cohorts:request_decide", args=[cohort.pk]),
            {"enrollment": own.pk, "decision": "approve"},
        ),
    ):
        assert client.post(url, data).status_code == 404
    own.refresh_from_db()
    assert own.status == Enrollment.Status.PENDING
    assert own.decided_by is None


def test_the_service_refuses_a_decider_without_the_right(approval_course, provider_b):
    """Another entry point (API, command, task) cannot skip the check made by the views."""
    learner = UserFactory(email="pemohon@kb.go.id", organization=provider_b)
    request, _created = services.enrollment_create(user=learner, course=approval_course)
    stranger = UserFactory(email="orang.lain@instansi.go.id")
    with pytest.raises(errors.EnrollmentRefused) as refused:
        services.enrollment_decide(enrollment=request, decided_by=stranger, approve=True)
    assert refused.value.code == "not_decider"
    assert refused.value.status == 403
    request.refresh_from_db()
    assert request.status == Enrollment.Status.PENDING


def test_the_decision_rule_has_one_home(approval_course, provider_b):
    """The approvals queue lists exactly what the permission allows, and the service writes the
    audit event for whoever calls it."""
    learner = UserFactory(email="pemohon@kb.go.id", organization=provider_b)
    request, _created = services.enrollment_create(user=learner, course=approval_course)
    hr = UserFactory(email="sdm@kb.go.id", organization=provider_b, admin_of=provider_b)
    trainer = UserFactory(email="pelatih@lpa.go.id", trainer_of=approval_course)
    stranger = UserFactory(email="orang.lain@instansi.go.id")
    for person in (hr, trainer, stranger, learner):
        listed = selectors.enrollment_requests_for(person).filter(pk=request.pk).exists()
        assert listed == permissions.can_decide_enrollment(person, request), person
    assert list(permissions.enrollments_decidable_by(hr)) == [request]
    services.enrollment_decide(enrollment=request, decided_by=hr, approve=True)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ENROLLMENT_DECIDED)
    assert (event.actor, event.subject_user, event.organization) == (hr, learner, provider_b)


def test_a_trainer_adding_themselves_does_not_approve_their_own_request(approval_course):
    """Being added by a trainer answers a request to join: not when the trainer is the learner."""
    from cohorts.members import cohort_member_add

    trainer = UserFactory(email="pelatih@lpa.go.id", trainer_of=approval_course)
    own, _created = services.enrollment_create(user=trainer, course=approval_course)
    cohort = cohort_create(
        course=approval_course,
        name="Angkatan Sendiri",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
        created_by=trainer,
    )
    with pytest.raises(errors.LearningError) as refused:
        cohort_member_add(cohort=cohort, user=trainer, added_by=trainer)
    assert refused.value.code == "own_request"
    own.refresh_from_db()
    assert own.status == Enrollment.Status.PENDING

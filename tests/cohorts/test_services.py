"""Adding learners to cohorts, requests to join, capacity, invitations and reminders."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError
from django.utils import timezone

from cohorts.members import (
    cohort_join_request,
    cohort_member_add,
    cohort_members_add,
    invitations_accept,
    invitations_create,
)
from cohorts.models import CohortInvitation, CohortMembership, Reminder
from cohorts.services import reminders_send
from courses.choices import EnrollmentPolicy
from learners import services as learner_services
from learners.errors import EnrollmentConflict, EnrollmentRefused
from learners.factories import UserFactory
from learners.models import Enrollment, LearningRecord

pytestmark = pytest.mark.django_db


def test_trainer_adds_learners_who_become_active_members(cohort, trainer, learners):
    result = cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    assert sorted(result.enrolled) == sorted(user.pk for user in learners)
    enrollments = Enrollment.objects.filter(cohort_membership__cohort=cohort)
    assert enrollments.count() == 3
    assert set(enrollments.values_list("status", flat=True)) == {Enrollment.Status.ACTIVE}
    assert (
        LearningRecord.objects.filter(verb=LearningRecord.Verb.ENROLLED, actor=trainer).count() == 3
    )


def test_adding_twice_skips_members_and_other_cohorts(cohort, trainer, learners, course_a):
    cohort_members_add(cohort=cohort, users=learners[:1], added_by=trainer)
    result = cohort_members_add(cohort=cohort, users=learners[:2], added_by=trainer)
    assert result.skipped == {learners[0].pk: "member"}
    assert result.enrolled == [learners[1].pk]

    from cohorts.services import cohort_create

    second = cohort_create(
        course=course_a,
        name="Angkatan II",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
        created_by=trainer,
    )
    with pytest.raises(EnrollmentConflict) as refused:
        cohort_member_add(cohort=second, user=learners[0], added_by=trainer)
    assert refused.value.code == "other_cohort"


def test_an_open_enrollment_joins_with_its_progress(cohort, trainer, learners, course_a):
    enrollment, _ = learner_services.enrollment_create(user=learners[0], course=course_a)
    result = cohort_members_add(cohort=cohort, users=[learners[0]], added_by=trainer)
    assert result.joined == [learners[0].pk]
    assert CohortMembership.objects.get(cohort=cohort).enrollment == enrollment


def test_capacity_refuses_the_whole_batch(cohort, trainer, learners):
    cohort.capacity = 2
    cohort.save()
    with pytest.raises(EnrollmentRefused) as refused:
        cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    assert refused.value.code == "cohort_full"
    assert not Enrollment.objects.exists()
    cohort_members_add(cohort=cohort, users=learners[:2], added_by=trainer)
    assert Enrollment.objects.count() == 2


def test_invitations_hold_seats_and_are_taken_at_signup(cohort, trainer):
    cohort.capacity = 1
    cohort.save()
    invitations_create(cohort=cohort, people=[("", "Calon@Instansi.go.id")], created_by=trainer)
    with pytest.raises(EnrollmentRefused):
        invitations_create(cohort=cohort, people=[("", "lain@instansi.go.id")], created_by=trainer)

    newcomer = UserFactory(email="calon@instansi.go.id")
    # An address typed at sign-up proves nothing: the seat waits for it to be verified.
    assert invitations_accept(user=newcomer) == 0
    assert CohortInvitation.objects.get().accepted_at is None
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    invitations_accept(user=newcomer)
    invitation = CohortInvitation.objects.get()
    assert invitation.accepted_at is not None
    assert invitation.membership.enrollment.user == newcomer
    assert invitation.membership.via == CohortMembership.Via.INVITATION


def test_join_request_on_a_cohort_only_course_waits_for_the_trainer(cohort, learners, course_a):
    course_a.enrollment_policy = EnrollmentPolicy.COHORT
    course_a.save_revision().publish()
    enrollment = cohort_join_request(cohort=cohort, user=learners[0])
    assert enrollment.status == Enrollment.Status.PENDING
    assert enrollment.cohort_membership.cohort == cohort


def test_join_request_after_the_deadline_is_refused(cohort, learners):
    cohort.enrollment_deadline = timezone.localdate() - timedelta(days=1)
    cohort.save()
    with pytest.raises(EnrollmentRefused) as refused:
        cohort_join_request(cohort=cohort, user=learners[0])
    assert refused.value.code == "deadline_passed"


def test_at_most_one_reminder_per_learner_cohort_and_day(
    cohort, trainer, learners, mailoutbox, django_capture_on_commit_callbacks
):
    cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(cohort=cohort, learner_ids=[u.pk for u in learners], sent_by=trainer)
    second = reminders_send(cohort=cohort, learner_ids=[u.pk for u in learners], sent_by=trainer)
    assert (first.queued, first.already_reminded_today) == (3, 0)
    assert (second.queued, second.already_reminded_today) == (0, 3)
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 3
    assert len(mailoutbox) == 3
    assert "Peserta" in mailoutbox[0].body
    # The rule is the database's, not only the service's.
    with pytest.raises(IntegrityError):
        Reminder.objects.create(
            cohort=cohort, learner=learners[0], sent_on=timezone.localdate(), sent_by=trainer
        )


def test_reminders_go_only_to_active_members(cohort, trainer, learners):
    outsider = UserFactory()
    cohort_members_add(cohort=cohort, users=learners[:1], added_by=trainer)
    queued = reminders_send(
        cohort=cohort, learner_ids=[learners[0].pk, outsider.pk], sent_by=trainer
    )
    assert queued.queued == 1

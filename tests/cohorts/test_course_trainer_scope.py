"""Training a course is not training each of its cohorts, at the level of the services too.

The pages and the API find a cohort among `cohorts_trained_by(user)` and answer 404 before any
service runs (test_trainers.py), so a rule widened to the course's trainers in
`is_cohort_trainer` would go unseen there. Here a trainer of the course who is not a trainer of
the cohort calls every service that acts on a cohort directly, as a command or a future entry
point would, and is refused with nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied

from cohorts import exports, imports, invitations, members, services
from cohorts.models import CohortInvitation, CohortLessonDue, CohortMembership, Reminder
from cohorts.permissions import cohorts_trained_by, is_cohort_trainer
from courses.models import LessonPage
from learners.errors import LearningError
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_trainer(course_a):
    """Named on the course (it may open cohorts of it), not on the cohort under test."""
    return UserFactory(
        email="pelatih.kursus@lpa.go.id", full_name="Pelatih Kursus Saja", trainer_of=course_a
    )


@pytest.fixture
def running(cohort, trainer, learners):
    """The cohort with members, a pending invitation and a checked import."""
    members.cohort_members_add(cohort=cohort, users=learners[:2], added_by=trainer)
    members.cohort_invite(
        cohort=cohort, nip="", email="undangan@instansi.go.id", invited_by=trainer
    )
    checked = imports.import_check(
        cohort=cohort,
        name="peserta.csv",
        data=f"email\n{learners[2].email}\n".encode(),
        uploaded_by=trainer,
    )
    return cohort, checked


def _state(cohort) -> tuple:
    return (
        sorted(CohortMembership.objects.filter(cohort=cohort).values_list("pk", flat=True)),
        sorted(CohortInvitation.objects.filter(cohort=cohort).values_list("pk", "expires_at")),
        Reminder.objects.filter(cohort=cohort).count(),
        sorted(cohort.trainers.values_list("pk", flat=True)),
        sorted(CohortLessonDue.objects.filter(cohort=cohort).values_list("lesson_id", "due_on")),
        sorted(cohort.imports.values_list("pk", "applied_at")),
    )


ACTIONS = {
    "add a learner": lambda cohort, checked, who, others: members.cohort_member_add(
        cohort=cohort, user=others[0], added_by=who
    ),
    "invite": lambda cohort, checked, who, others: members.cohort_invite(
        cohort=cohort, nip="", email="baru.sekali@instansi.go.id", invited_by=who
    ),
    "check an import": lambda cohort, checked, who, others: imports.import_check(
        cohort=cohort, name="lagi.csv", data=f"email\n{others[0].email}\n".encode(), uploaded_by=who
    ),
    "apply an import": lambda cohort, checked, who, others: imports.import_apply(
        cohort_import=checked, applied_by=who
    ),
    "send reminders": lambda cohort, checked, who, others: services.reminders_send(
        cohort=cohort,
        learner_ids=CohortMembership.objects.filter(cohort=cohort).values_list(
            "enrollment__user_id", flat=True
        ),
        sent_by=who,
    ),
    "set due dates": lambda cohort, checked, who, others: services.cohort_schedule_update(
        cohort=cohort,
        dues={
            LessonPage.objects.descendant_of(cohort.course).first().pk: cohort.ends_on,
        },
        changed_by=who,
    ),
    "set trainers": lambda cohort, checked, who, others: services.cohort_trainers_set(
        cohort=cohort, trainers=[who], changed_by=who
    ),
    "resend an invitation": lambda cohort, checked, who, others: invitations.invitation_resend(
        invitation=CohortInvitation.objects.get(cohort=cohort), sent_by=who
    ),
    "cancel an invitation": lambda cohort, checked, who, others: invitations.invitation_cancel(
        invitation=CohortInvitation.objects.get(cohort=cohort), cancelled_by=who
    ),
    "export": lambda cohort, checked, who, others: exports.cohort_export(
        cohort=cohort, exported_by=who, file_format="csv"
    ),
}


def test_a_course_trainer_is_not_a_trainer_of_its_other_cohorts(cohort, trainer, course_trainer):
    assert is_cohort_trainer(trainer, cohort)
    assert not is_cohort_trainer(course_trainer, cohort)
    assert not cohorts_trained_by(course_trainer).filter(pk=cohort.pk).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_a_course_trainer_cannot_act_on_a_cohort_they_do_not_train(action, running, course_trainer):
    cohort, checked = running
    newcomer = UserFactory(email="belum.terdaftar@instansi.go.id")
    before = _state(cohort)

    with pytest.raises((LearningError, PermissionDenied)) as refused:
        ACTIONS[action](cohort, checked, course_trainer, [newcomer])

    if isinstance(refused.value, LearningError):
        assert refused.value.code == "not_trainer"
    assert _state(cohort) == before

"""Applying an import re-checks every row inside the transaction, under the cohort's row lock:
what changed since the dry run (someone joined another cohort, the seats filled up) refuses the
whole file and changes nothing. The service checks who applies and writes the audit event; the
preview shows a name only to a trainer who may already know the person."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cohorts import imports
from cohorts.factories import CohortInvitationFactory
from cohorts.members import cohort_members_add
from cohorts.models import CohortImport, CohortInvitation, CohortMembership
from cohorts.services import cohort_create
from learners.errors import LearningError
from learners.factories import UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


def _check(cohort, trainer, *emails: str) -> CohortImport:
    data = ("email\n" + "\n".join(emails)).encode()
    return imports.import_check(cohort=cohort, name="peserta.csv", data=data, uploaded_by=trainer)


def _nothing_changed(cohort, checked) -> None:
    assert not CohortMembership.objects.filter(cohort=cohort).exists()
    assert not CohortInvitation.objects.filter(cohort=cohort).exists()
    checked.refresh_from_db()
    assert checked.applied_at is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ENROLLMENT_CHANGED).exists()


@pytest.fixture
def people(db):
    return [
        UserFactory(email=f"impor{n}@instansi.go.id", full_name=f"Peserta Impor {n}")
        for n in range(3)
    ]


def test_someone_who_joined_another_cohort_since_the_dry_run_refuses_the_apply(
    cohort, trainer, course_a, people, client_for
):
    checked = _check(cohort, trainer, *(person.email for person in people), "baru@instansi.go.id")
    assert imports.import_counts(checked.rows)[imports.VALID] == 3
    # Between the preview and the apply, one of them joins another cohort of the course.
    other = cohort_create(
        course=course_a,
        name="Angkatan Lain",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on + timedelta(days=1),
        created_by=trainer,
    )
    cohort_members_add(cohort=other, users=[people[1]], added_by=trainer)

    response = client_for(trainer).post(reverse("cohorts:import", args=[cohort.pk, checked.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:import", args=[cohort.pk, checked.pk])
    _nothing_changed(cohort, checked)
    assert Enrollment.objects.filter(user=people[1], course=course_a).count() == 1


def test_seats_filled_since_the_dry_run_refuse_the_apply(cohort, trainer, people):
    cohort.capacity = 3
    cohort.save()
    checked = _check(cohort, trainer, people[0].email, people[1].email)
    cohort_members_add(cohort=cohort, users=[people[2]], added_by=trainer)
    CohortInvitationFactory(cohort=cohort, email="kursi@instansi.go.id")
    taken = set(CohortMembership.objects.filter(cohort=cohort).values_list("pk", flat=True))

    with pytest.raises(LearningError) as refused:
        imports.import_apply(cohort_import=checked, applied_by=trainer)

    assert refused.value.code == "cohort_full"
    assert set(CohortMembership.objects.filter(cohort=cohort).values_list("pk", flat=True)) == taken
    checked.refresh_from_db()
    assert checked.applied_at is None


def test_the_service_writes_the_audit_event_and_checks_who_applies(
    cohort, trainer, people, other_trainer
):
    checked = _check(cohort, trainer, *(person.email for person in people))
    with pytest.raises(LearningError) as refused:
        imports.import_apply(cohort_import=checked, applied_by=other_trainer)
    assert refused.value.code == "not_trainer"
    _nothing_changed(cohort, checked)

    applied = imports.import_apply(cohort_import=checked, applied_by=trainer)

    assert applied.enrolled == 3
    event = AuditEvent.objects.get(action=AuditEvent.Action.ENROLLMENT_CHANGED)
    assert (event.actor, event.detail["change"], event.detail["enrolled"]) == (
        trainer,
        "imported_to_cohort",
        3,
    )


def test_the_preview_names_only_people_the_trainer_may_know(
    cohort, trainer, course_a, provider_a, client_for
):
    colleague = UserFactory(email="kolega@lpa.go.id", full_name="Kolega Sekantor")
    trainer.organization = provider_a
    trainer.save()
    colleague.organization = provider_a
    colleague.save()
    former = UserFactory(email="alumni@instansi.go.id", full_name="Alumni Kelas Lama")
    old_cohort = cohort_create(
        course=course_a,
        name="Angkatan Lama",
        starts_on=cohort.starts_on - timedelta(days=400),
        ends_on=cohort.starts_on - timedelta(days=300),
        created_by=trainer,
    )
    cohort_members_add(cohort=old_cohort, users=[former], added_by=trainer)
    stranger = UserFactory(email="asing@pemda.go.id", full_name="Orang Asing Sekali")

    checked = _check(cohort, trainer, colleague.email, former.email, stranger.email)

    names = {row["email"]: row["name"] for row in checked.rows}
    assert names[colleague.email] == "Kolega Sekantor"
    assert names[former.email] == "Alumni Kelas Lama"
    assert names[stranger.email] == ""
    page = client_for(trainer).get(reverse("cohorts:import", args=[cohort.pk, checked.pk])).text
    assert "Orang Asing Sekali" not in page
    assert "Account found" in page


def test_adding_one_person_is_checked_and_recorded_by_the_service(
    cohort, trainer, other_trainer, people
):
    """Another entry point than the page (a command, the API) cannot skip either."""
    from cohorts.members import cohort_invite, cohort_member_add

    with pytest.raises(LearningError) as refused:
        cohort_member_add(cohort=cohort, user=people[0], added_by=other_trainer)
    assert refused.value.code == "not_trainer"
    with pytest.raises(LearningError):
        cohort_invite(cohort=cohort, nip="", email="baru@instansi.go.id", invited_by=other_trainer)
    assert not AuditEvent.objects.exists()

    cohort_member_add(cohort=cohort, user=people[0], added_by=trainer)
    cohort_invite(cohort=cohort, nip="", email="baru@instansi.go.id", invited_by=trainer)

    events = AuditEvent.objects.order_by("pk")
    assert [(e.actor, e.subject_user, e.detail["change"]) for e in events] == [
        (trainer, people[0], "added_to_cohort"),
        (trainer, None, "invited_to_cohort"),
    ]

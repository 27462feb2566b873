"""Applying an import classifies every row again: the preview is not trusted. Each test changes
the world between the preview and the apply in a way the services that enroll and invite would
not notice on their own (they skip silently or count the preview's rows), so an apply that reuses
the preview's classification fails here."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cohorts import imports
from cohorts.members import cohort_invite, cohort_member_add
from cohorts.models import CohortImport, CohortInvitation, CohortMembership
from learners.factories import UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db

NIP_NEW = "198512312010121003"
EMAIL_NEW = "pendatang.baru@instansi.go.id"


def _check(cohort, trainer, text: str) -> CohortImport:
    return imports.import_check(
        cohort=cohort, name="peserta.csv", data=text.encode(), uploaded_by=trainer
    )


def _apply_on_the_page(client, cohort, checked) -> tuple[str, list[str]]:
    """POST the apply button; where it leads and the messages the trainer reads there."""
    response = client.post(reverse("cohorts:import", args=[cohort.pk, checked.pk]))
    assert response.status_code == 302
    return response["Location"], [str(message) for message in get_messages(response.wsgi_request)]


def _statuses(checked) -> dict[int, tuple[str, str]]:
    checked.refresh_from_db()
    return {row["row"]: (row["status"], row["reason"]) for row in checked.rows}


def test_someone_who_signed_up_since_the_preview_is_enrolled_not_invited(
    cohort, trainer, client_for
):
    checked = _check(cohort, trainer, f"nip;email\n{NIP_NEW};{EMAIL_NEW}\n")
    assert _statuses(checked)[2] == (imports.UNKNOWN, "")
    newcomer = UserFactory(nip=NIP_NEW, email=EMAIL_NEW, full_name="Pendatang Baru")

    location, shown = _apply_on_the_page(client_for(trainer), cohort, checked)

    assert location == reverse("cohorts:detail", args=[cohort.pk])
    assert shown == ["Import applied: 1 enrolled, 0 joined with their progress, 0 invited."]
    assert Enrollment.objects.filter(user=newcomer, cohort_membership__cohort=cohort).exists()
    assert not CohortInvitation.objects.filter(cohort=cohort).exists()
    assert _statuses(checked)[2][0] == imports.VALID


def test_two_rows_that_became_one_person_since_the_preview_refuse_the_apply(
    cohort, trainer, client_for
):
    """Unknown by NIP on one row and by e-mail on another: two invitations at the preview; once
    that person has signed up with both, the second row is a duplicate of the first."""
    checked = _check(cohort, trainer, f"nip;email\n{NIP_NEW};\n;{EMAIL_NEW}\n")
    assert imports.import_counts(checked.rows)[imports.UNKNOWN] == 2
    UserFactory(nip=NIP_NEW, email=EMAIL_NEW)

    location, shown = _apply_on_the_page(client_for(trainer), cohort, checked)

    assert location == reverse("cohorts:import", args=[cohort.pk, checked.pk])
    assert shown == ["1 row(s) are invalid. Correct or remove them and upload the file again."]
    assert not CohortMembership.objects.filter(cohort=cohort).exists()
    assert not CohortInvitation.objects.filter(cohort=cohort).exists()
    checked.refresh_from_db()
    assert checked.applied_at is None


def test_someone_invited_since_the_preview_is_neither_invited_again_nor_counted_twice(
    cohort, trainer
):
    """The last seat is taken by the row's own invitation, sent by hand after the preview: the
    file still fits."""
    cohort.capacity = 2
    cohort.save()
    checked = _check(cohort, trainer, f"email\n{EMAIL_NEW}\nlain.lagi@instansi.go.id\n")
    cohort_invite(cohort=cohort, nip="", email=EMAIL_NEW, invited_by=trainer)

    applied = imports.import_apply(cohort_import=checked, applied_by=trainer)

    assert applied.invited == 1
    assert sorted(
        CohortInvitation.objects.filter(cohort=cohort).values_list("email", flat=True)
    ) == [
        "lain.lagi@instansi.go.id",
        EMAIL_NEW,
    ]
    assert _statuses(checked)[2] == (imports.UNKNOWN, "Already invited.")


def test_someone_added_to_the_cohort_since_the_preview_is_recorded_as_already_there(
    cohort, trainer, learners
):
    checked = _check(cohort, trainer, "email\n" + "\n".join(u.email for u in learners[:2]))
    cohort_member_add(cohort=cohort, user=learners[0], added_by=trainer)

    applied = imports.import_apply(cohort_import=checked, applied_by=trainer)

    assert (applied.enrolled, applied.joined, applied.invited) == (1, 0, 0)
    assert _statuses(checked) == {
        2: (imports.ALREADY_ENROLLED, "Already in this cohort."),
        3: (imports.VALID, ""),
    }
    assert CohortMembership.objects.filter(cohort=cohort).count() == 2


def test_an_invitation_by_e_mail_alone_marks_only_its_own_row_as_already_invited(cohort, trainer):
    """An invitation without a NIP must not make every row without a NIP "already invited"
    (they would silently never be invited)."""
    cohort_invite(cohort=cohort, nip="", email=EMAIL_NEW, invited_by=trainer)

    checked = _check(cohort, trainer, f"email\n{EMAIL_NEW}\nlain.lagi@instansi.go.id\n")

    assert _statuses(checked) == {
        2: (imports.UNKNOWN, "Already invited."),
        3: (imports.UNKNOWN, ""),
    }
    assert imports.import_apply(cohort_import=checked, applied_by=trainer).invited == 1

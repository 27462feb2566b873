"""Cohorts meeting the rest of Lentera: sign-up takes an invitation, the approvals queue, the
admin menu and the navigation."""

import pytest
from django.urls import reverse

from cohorts.members import cohort_join_request, invitations_create
from cohorts.models import CohortMembership
from courses.choices import EnrollmentPolicy
from learners.factories import PositionFactory, UserFactory, WorkUnitFactory
from learners.membership import membership_decide
from learners.models import Enrollment, User
from tests.learners.test_accounts import signup_data
from tests.learners.test_identity import confirm_email_from_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_a(provider_a):
    """The organization, unit and position the sign-up form is filled in with."""
    work_unit = WorkUnitFactory(organization=provider_a, name="Biro Sumber Daya Manusia")
    position = PositionFactory(organization=provider_a, name="Analis Kebijakan Ahli Muda")
    return provider_a, work_unit, position


def test_signing_up_with_an_invited_nip_joins_the_cohort_once_identity_is_proven(
    client,
    cohort,
    trainer,
    org_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Typing the invited NIP takes no seat: the person verifies their e-mail address, and the
    organization confirms them (the NIP alone proves nothing), then they join."""
    invitations_create(cohort=cohort, people=[("198609262015052001", "")], created_by=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), signup_data(org_a))
    assert response.status_code == 302
    user = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert not CohortMembership.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirm_email_from_mail(client, mailoutbox)
    assert not CohortMembership.objects.exists()

    hr = UserFactory(email="sdm@instansi.go.id", admin_of=org_a[0])
    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(user=user, decided_by=hr, confirm=True)

    membership = CohortMembership.objects.get(enrollment__user=user)
    assert membership.cohort == cohort
    assert membership.via == CohortMembership.Via.INVITATION
    assert membership.enrollment.status == Enrollment.Status.ACTIVE
    assert cohort.invitations.get().accepted_at is not None


def test_cohort_trainers_decide_requests_to_join_in_the_approvals_queue(
    client_for,
    cohort,
    course_a,
    learners,
    other_trainer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    course_a.enrollment_policy = EnrollmentPolicy.COHORT
    course_a.save_revision().publish()
    enrollment = cohort_join_request(cohort=cohort, user=learners[0])
    cohort.trainers.add(other_trainer)  # a trainer of the cohort, not of the course
    client = client_for(other_trainer)
    assert learners[0].full_name in client.get(reverse("learners:enrollment_requests")).text
    assert learners[0].full_name in client.get(reverse("cohorts:detail", args=[cohort.pk])).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cohorts:request_decide", args=[cohort.pk]),
            {"enrollment": enrollment.pk, "decision": "approve", "note": "Selamat datang"},
        )
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert "Selamat datang" in mailoutbox[0].body


def test_a_request_of_another_cohort_cannot_be_decided_here(
    client_for, cohort, course_a, learners, trainer
):
    from cohorts.services import cohort_create

    other = cohort_create(
        course=course_a,
        name="Angkatan Lain",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        created_by=trainer,
    )
    enrollment = cohort_join_request(cohort=other, user=learners[0])
    response = client_for(trainer).post(
        reverse("cohorts:request_decide", args=[cohort.pk]),
        {"enrollment": enrollment.pk, "decision": "approve"},
    )
    assert response.status_code == 404


def test_trainers_find_their_cohorts_in_the_navigation_and_the_admin_menu(
    client_for, cohort, trainer, learners
):
    trainer.is_staff = True
    trainer.save()
    from django.contrib.auth.models import Permission

    trainer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    dashboard = reverse("cohorts:dashboard")
    assert f'href="{dashboard}"' in client_for(trainer).get("/en/").text
    assert dashboard in client_for(trainer).get("/admin/").text
    assert f'href="{dashboard}"' not in client_for(learners[0]).get("/en/").text


def test_trainer_creates_and_edits_a_cohort_with_due_dates(client_for, trainer, course_a):
    from courses.models import LessonPage

    client = client_for(trainer)
    response = client.post(
        reverse("cohorts:create"),
        {
            "course": course_a.pk,
            "name": "Angkatan Baru",
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-01",
        },
    )
    assert "cannot end before it starts" in response.text
    response = client.post(
        reverse("cohorts:create"),
        {
            "course": course_a.pk,
            "name": "Angkatan Baru",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "trainer_emails": "nobody@instansi.go.id",
        },
    )
    assert "cannot train this cohort" in response.text
    response = client.post(
        reverse("cohorts:create"),
        {
            "course": course_a.pk,
            "name": "Angkatan Baru",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "capacity": "25",
        },
    )
    cohort = trainer.trained_cohorts.get(name="Angkatan Baru")
    assert response["Location"] == reverse("cohorts:detail", args=[cohort.pk])
    lesson = LessonPage.objects.descendant_of(course_a).first()
    client.post(
        reverse("cohorts:edit", args=[cohort.pk]),
        {
            "name": "Angkatan Baru",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "capacity": "25",
            f"due_{lesson.pk}": "2026-12-10",
        },
    )
    assert cohort.lesson_dues.get().lesson_id == lesson.pk


def test_only_course_trainers_may_create_cohorts(client_for, learners, course_a):
    assert client_for(learners[0]).get(reverse("cohorts:create")).status_code == 404

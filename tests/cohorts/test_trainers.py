"""Who trains a cohort: only trainers of the course's provider (or people its admin allows) are
added, a cohort always keeps a trainer, nobody locks its creator out, and adding or removing a
trainer, opening a cohort and exporting it are on the audit log (exports also on the log of every
organization whose people are in the cohort). A trainer of the course who does not train a cohort
never sees it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cohorts import services
from cohorts.members import cohort_members_add
from cohorts.permissions import trainers_eligible_for
from cohorts.services import cohort_create
from content.factories import OrganizationFactory
from courses.factories import course_with_lessons, provider_page_of
from learners.errors import LearningError
from learners.factories import OrganizationRoleFactory, UserFactory
from learners.models import OrganizationRole

pytestmark = pytest.mark.django_db


def _edit(client, cohort, trainer_emails: str):
    return client.post(
        reverse("cohorts:edit", args=[cohort.pk]),
        {
            "name": cohort.name,
            "starts_on": cohort.starts_on.isoformat(),
            "ends_on": cohort.ends_on.isoformat(),
            "trainer_emails": trainer_emails,
        },
    )


@pytest.fixture
def colleague(provider_a, course_a):
    """A trainer of another course of the same provider: may co-train."""
    other_course = course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Kursus Lain", modules=1
    )
    return UserFactory(email="rekan@lpa.go.id", full_name="Rekan Pelatih", trainer_of=other_course)


def test_only_trainers_of_the_provider_or_allowed_people_become_co_trainers(
    cohort, trainer, colleague, course_a, course_b, provider_a, client_for
):
    anybody = UserFactory(email="siapa.saja@instansi.go.id", full_name="Siapa Saja")
    UserFactory(email="pelatih@kb.go.id", full_name="Pelatih KB", trainer_of=course_b)
    allowed = UserFactory(email="diizinkan@lpa.go.id", full_name="Diizinkan")
    OrganizationRoleFactory(
        user=allowed, organization=provider_a, role=OrganizationRole.Role.TRAINER
    )
    assert set(trainers_eligible_for(course_a)) == {trainer, colleague, allowed}

    client = client_for(trainer)
    for email in ("siapa.saja@instansi.go.id", "pelatih@kb.go.id", "nobody@instansi.go.id"):
        response = _edit(client, cohort, email)
        assert response.status_code == 200
        # The same words whether or not the address has an account.
        assert "cannot train this cohort" in response.text, email
    assert set(cohort.trainers.all()) == {trainer}

    with pytest.raises(LearningError) as refused:
        services.cohort_trainers_set(cohort=cohort, trainers=[trainer, anybody], changed_by=trainer)
    assert refused.value.code == "not_eligible"

    response = _edit(client, cohort, "rekan@lpa.go.id\ndiizinkan@lpa.go.id")
    assert response.status_code == 302
    assert set(cohort.trainers.all()) == {trainer, colleague, allowed}
    events = AuditEvent.objects.filter(action=AuditEvent.Action.COHORT_TRAINERS_CHANGED)
    assert {(e.subject_user, e.detail["change"]) for e in events} == {
        (colleague, "added"),
        (allowed, "added"),
    }
    assert {e.organization_id for e in events} == {provider_a.pk}


def test_a_co_trainer_cannot_lock_out_the_creator_and_a_cohort_keeps_a_trainer(
    cohort, trainer, colleague, client_for
):
    services.cohort_trainers_set(cohort=cohort, trainers=[trainer, colleague], changed_by=trainer)
    # The co-trainer leaves the list of other trainers empty: that would remove the creator.
    response = _edit(client_for(colleague), cohort, "")
    assert response.status_code == 200
    assert "Only the cohort&#x27;s creator" in response.text
    assert set(cohort.trainers.all()) == {trainer, colleague}

    with pytest.raises(LearningError) as refused:
        services.cohort_trainers_set(cohort=cohort, trainers=[], changed_by=trainer)
    assert refused.value.code == "no_trainer"
    assert set(cohort.trainers.all()) == {trainer, colleague}

    # The creator may remove the co-trainer, and a trainer may leave; both are recorded.
    services.cohort_trainers_set(cohort=cohort, trainers=[trainer], changed_by=trainer)
    assert set(cohort.trainers.all()) == {trainer}
    removed = AuditEvent.objects.get(detail__change="removed")
    assert (removed.actor, removed.subject_user) == (trainer, colleague)


def test_someone_who_does_not_train_the_cohort_cannot_change_its_trainers(
    cohort, trainer, colleague
):
    with pytest.raises(LearningError) as refused:
        services.cohort_trainers_set(
            cohort=cohort, trainers=[trainer, colleague], changed_by=colleague
        )
    assert refused.value.code == "not_trainer"
    assert set(cohort.trainers.all()) == {trainer}


def test_a_new_cohort_takes_only_eligible_co_trainers(trainer, colleague, course_a, client_for):
    outsider = UserFactory(email="luar@instansi.go.id")
    today = timezone.localdate()
    with pytest.raises(LearningError):
        cohort_create(
            course=course_a,
            name="Angkatan X",
            starts_on=today,
            ends_on=today + timedelta(days=10),
            created_by=trainer,
            trainers=[outsider],
        )
    cohort = cohort_create(
        course=course_a,
        name="Angkatan Y",
        starts_on=today,
        ends_on=today + timedelta(days=10),
        created_by=trainer,
        trainers=[colleague],
    )
    assert set(cohort.trainers.all()) == {trainer, colleague}
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.COHORT_TRAINERS_CHANGED, subject_user=colleague
    ).exists()


def test_opening_a_cohort_is_recorded(cohort, trainer, client_for):
    response = client_for(trainer).get(reverse("cohorts:detail", args=[cohort.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == (AuditEvent.Action.REPORT_VIEWED, trainer)
    assert event.detail["cohort_id"] == cohort.pk
    assert event.organization_id == cohort.course.provider_id


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_shows_in_every_learners_organizations_log(
    file_format, cohort, trainer, client_for
):
    agencies = [OrganizationFactory(name=f"Dinas {n}", short_name=f"DNS{n}") for n in range(3)]
    people = [
        UserFactory(email=f"p{n}.{m}@dinas.go.id", organization=agency)
        for n, agency in enumerate(agencies)
        for m in range(2)
    ]
    cohort_members_add(cohort=cohort, users=people, added_by=trainer)
    hr = UserFactory(email="sdm@dinas1.go.id", admin_of=agencies[1])

    response = client_for(trainer).get(reverse(f"cohorts:export_{file_format}", args=[cohort.pk]))
    assert response.status_code == 200

    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert {e.organization_id for e in events} == {
        cohort.course.provider_id,
        *(agency.pk for agency in agencies),
    }
    assert all(e.detail["format"] == file_format and e.actor == trainer for e in events)
    log = client_for(hr).get(reverse("privacy:audit_log", args=[agencies[1].pk])).text
    assert cohort.name in log


@pytest.mark.parametrize("name", ["detail", "csv", "xlsx", "api"])
def test_a_course_trainer_does_not_see_a_cohort_they_do_not_train(
    name, cohort, course_a, colleague, client_for
):
    """Training the course is not training each of its cohorts."""
    course_trainer = UserFactory(email="pelatih.kursus@lpa.go.id", trainer_of=course_a)
    url = {
        "detail": reverse("cohorts:detail", args=[cohort.pk]),
        "csv": reverse("cohorts:export_csv", args=[cohort.pk]),
        "xlsx": reverse("cohorts:export_xlsx", args=[cohort.pk]),
        "api": f"/api/v1/cohorts/{cohort.pk}/progress",
    }[name]
    assert client_for(course_trainer).get(url).status_code == 404
    assert cohort.name not in client_for(course_trainer).get(reverse("cohorts:dashboard")).text
    assert not AuditEvent.objects.exists()


def test_reminders_and_due_dates_are_for_the_cohorts_trainers_only(
    cohort, trainer, colleague, learners
):
    """The services check who acts, whatever the entry point."""
    from cohorts.models import Reminder

    cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    with pytest.raises(LearningError) as refused:
        services.reminders_send(
            cohort=cohort, learner_ids=[u.pk for u in learners], sent_by=colleague
        )
    assert refused.value.code == "not_trainer"
    assert not Reminder.objects.exists()
    with pytest.raises(LearningError):
        services.cohort_schedule_update(cohort=cohort, dues={}, changed_by=colleague)
    assert services.reminders_send(
        cohort=cohort, learner_ids=[u.pk for u in learners], sent_by=trainer
    ).queued == len(learners)

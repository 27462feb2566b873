"""The audit log: one event per staff action or export (never one per person shown), and the
organization admin's page, which only that organization's admins (and platform
administrators) may read, in a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Action, audit_record
from cohorts import imports
from cohorts.models import CohortMembership
from learners.factories import CourseTrainerFactory, EnrollmentFactory, UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


def _read(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _staff(agency, count: int, prefix: str) -> list:
    return [
        UserFactory(
            email=f"{prefix}{n}@dinkes.go.id",
            full_name=f"Pegawai {prefix} {n:03d}",
            account_kind="pns",
            organization=agency,
        )
        for n in range(count)
    ]


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@lan.go.id", full_name="Admin LAN", is_superuser=True)


# Staff actions are recorded


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_cohort_export_is_one_event_whatever_its_size(
    file_format, cohort, trainer, agency, client_for
):
    from cohorts.members import cohort_members_add

    cohort_members_add(cohort=cohort, users=_staff(agency, 25, "k"), added_by=trainer)
    client = client_for(trainer)

    response = client.get(reverse(f"cohorts:export_{file_format}", args=[cohort.pk]))

    assert response.status_code == 200 and _read(response)
    # One event for the course provider and one for the learners' own organization.
    events = list(AuditEvent.objects.order_by("pk"))
    assert {(e.action, e.actor, e.subject_user) for e in events} == {(Action.EXPORT, trainer, None)}
    assert {e.detail["format"] for e in events} == {file_format}
    assert [e.organization_id for e in events] == [cohort.course.provider_id, agency.pk]
    assert {e.target for e in events} == {"Angkatan I"}


def test_a_trainer_adding_a_learner_is_recorded_against_the_learner(
    cohort, trainer, learner, client_for
):
    client_for(trainer).post(
        reverse("cohorts:learners_add", args=[cohort.pk]), {"person": learner.email}
    )

    event = AuditEvent.objects.get()
    assert event.action == Action.ENROLLMENT_CHANGED
    assert (event.actor, event.subject_user) == (trainer, learner)
    assert event.organization_id == learner.organization_id


def test_an_applied_import_is_one_event(cohort, trainer, agency, client_for):
    people = _staff(agency, 12, "imp")
    data = ("email\n" + "\n".join(person.email for person in people)).encode()
    checked = imports.import_check(cohort=cohort, name="a.csv", data=data, uploaded_by=trainer)

    client_for(trainer).post(reverse("cohorts:import", args=[cohort.pk, checked.pk]))

    event = AuditEvent.objects.get()
    assert event.action == Action.ENROLLMENT_CHANGED and event.subject_user is None
    assert event.detail["enrolled"] == 12


def _pending(user, course, cohort=None) -> Enrollment:
    enrollment = EnrollmentFactory(user=user, course=course, pending=True)
    if cohort is not None:
        CohortMembership.objects.create(cohort=cohort, enrollment=enrollment, via="request")
    return enrollment


def test_deciding_a_request_is_recorded_from_either_page(
    cohort, trainer, learner, other_learner, hr_admin, course_a, client_for
):
    in_cohort = _pending(other_learner, cohort.course, cohort)
    client_for(trainer).post(
        reverse("cohorts:request_decide", args=[cohort.pk]),
        {"enrollment": in_cohort.pk, "decision": "approve"},
    )
    direct = _pending(learner, course_a)
    client_for(hr_admin).post(
        reverse("learners:enrollment_requests"),
        {"enrollment": direct.pk, "decision": "reject", "note": "Kuota penuh"},
    )

    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.action, e.actor, e.subject_user) for e in events] == [
        (Action.ENROLLMENT_DECIDED, trainer, other_learner),
        (Action.ENROLLMENT_DECIDED, hr_admin, learner),
    ]
    assert [e.detail["approved"] for e in events] == [True, False]
    assert events[1].organization_id == learner.organization_id


def test_compliance_page_exports_and_api_are_one_event_each(hr_admin, agency, client_for):
    _staff(agency, 30, "c")
    client = client_for(hr_admin)

    page = client.get(reverse("compliance:report", args=[agency.pk])).content.decode()
    assert reverse("privacy:audit_log", args=[agency.pk]) in page
    _read(client.get(reverse("compliance:report_csv", args=[agency.pk])))
    _read(client.get(reverse("compliance:report_xlsx", args=[agency.pk])))
    client.get(f"/api/v1/organizations/{agency.pk}/compliance")

    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.action, e.detail.get("format"), e.detail.get("via")) for e in events] == [
        (Action.REPORT_VIEWED, None, None),
        (Action.EXPORT, "csv", None),
        (Action.EXPORT, "xlsx", None),
        (Action.REPORT_VIEWED, None, "api"),
    ]
    assert {e.organization_id for e in events} == {agency.pk}
    assert {e.actor_id for e in events} == {hr_admin.pk}


def test_a_refused_compliance_request_records_nothing(other_hr_admin, agency, client_for):
    client = client_for(other_hr_admin)
    assert client.get(reverse("compliance:report_csv", args=[agency.pk])).status_code == 404
    assert client.get(f"/api/v1/organizations/{agency.pk}/compliance").status_code == 404
    assert not AuditEvent.objects.exists()


def test_the_cohort_api_is_recorded(cohort, trainer, client_for):
    response = client_for(trainer).get(f"/api/v1/cohorts/{cohort.pk}/progress")

    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.action == Action.REPORT_VIEWED and event.detail["via"] == "api"


def test_revoking_a_certificate_in_the_admin_is_recorded(history, learner, superuser, client_for):
    certificate = history["certificate"]

    response = client_for(superuser).post(
        reverse("certificates:revoke", args=[certificate.pk]), {"reason": "Data palsu"}
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.subject_user) == (
        Action.CERTIFICATE_REVOKED,
        superuser,
        learner,
    )
    assert event.target == certificate.serial
    assert event.organization_id == learner.organization_id


def test_opening_and_editing_a_person_in_the_admin_is_recorded(learner, superuser, client_for):
    client = client_for(superuser)
    url = reverse("wagtailusers_users:edit", args=[learner.pk])

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "email": learner.email,
            "full_name": "Siti Nurhaliza, S.Kep.",
            "is_active": "on",
            "password1": "",
            "password2": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    viewed, edited = AuditEvent.objects.order_by("pk")
    assert (viewed.action, viewed.subject_user) == (Action.RECORD_VIEWED, learner)
    assert (edited.action, edited.subject_user) == (Action.PROFILE_EDITED, learner)
    assert edited.detail["fields"] == ["full_name"]
    assert "Siti" not in str(edited.detail)


def test_the_actor_label_outlives_the_actor(learner, hr_admin, agency):
    event = audit_record(hr_admin, Action.EXPORT, organization=agency)
    hr_admin.organization_roles.all().delete()
    hr_admin.delete()

    event.refresh_from_db()
    assert event.actor is None and event.actor_label == "Admin SDM Dinkes"


# The organization admin's page


def test_the_admin_sees_their_organization_events_newest_first(
    hr_admin, agency, other_agency, learner, client_for
):
    audit_record(hr_admin, Action.EXPORT, organization=agency, target="Laporan lama")
    audit_record(hr_admin, Action.RECORD_VIEWED, organization=agency, subject=learner)
    audit_record(hr_admin, Action.EXPORT, organization=other_agency, target="Rahasia lain")

    response = client_for(hr_admin).get(reverse("privacy:audit_log", args=[agency.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Laporan lama" in html and "Siti Nurhaliza" in html
    assert "Rahasia lain" not in html
    assert html.index("Record viewed by staff") < html.index("Laporan lama")


def test_the_page_filters_by_action_and_date(hr_admin, agency, client_for):
    old = audit_record(hr_admin, Action.EXPORT, organization=agency, target="Ekspor lama")
    AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    audit_record(hr_admin, Action.EXPORT, organization=agency, target="Ekspor baru")
    audit_record(hr_admin, Action.REPORT_VIEWED, organization=agency, target="Dilihat baru")
    url = reverse("privacy:audit_log", args=[agency.pk])
    client = client_for(hr_admin)

    by_action = client.get(url, {"action": "export"}).content.decode()
    recent = (timezone.localdate() - timedelta(days=7)).isoformat()
    by_date = client.get(url, {"dari": recent}).content.decode()

    assert "Ekspor lama" in by_action and "Ekspor baru" in by_action
    assert "Dilihat baru" not in by_action
    assert "Ekspor lama" not in by_date and "Dilihat baru" in by_date


@pytest.mark.parametrize("who", ["other_hr_admin", "learner", "trainer"])
def test_anyone_but_the_organization_admin_gets_404(who, request, agency, client_for):
    user = request.getfixturevalue(who)
    if who == "trainer":
        CourseTrainerFactory(course=request.getfixturevalue("course_a"), user=user)
    client = client_for(user)

    assert client.get(reverse("privacy:audit_log", args=[agency.pk])).status_code == 404
    assert client.get(reverse("privacy:audit_log_all")).status_code == 404


def test_a_platform_administrator_sees_every_organization(
    superuser, hr_admin, agency, other_agency, client_for
):
    audit_record(hr_admin, Action.EXPORT, organization=other_agency, target="Ekspor Bogor")
    audit_record(None, Action.EXPORT, target="Tanpa organisasi")
    client = client_for(superuser)

    assert client.get(reverse("privacy:audit_log", args=[other_agency.pk])).status_code == 200
    everything = client.get(reverse("privacy:audit_log_all")).content.decode()
    assert "Ekspor Bogor" in everything and "Tanpa organisasi" in everything


def test_the_index_sends_an_admin_of_one_organization_to_its_log(hr_admin, agency, client_for):
    response = client_for(hr_admin).get(reverse("privacy:audit_index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:audit_log", args=[agency.pk])


def test_the_page_takes_the_same_queries_for_3_or_120_events(
    hr_admin, agency, learner, other_learner, client_for
):
    url = reverse("privacy:audit_log", args=[agency.pk])
    client = client_for(hr_admin)

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _n in range(3):
        audit_record(hr_admin, Action.RECORD_VIEWED, organization=agency, subject=learner)
    few = count()
    for n in range(117):
        subject = learner if n % 2 else other_learner
        audit_record(hr_admin, Action.RECORD_VIEWED, organization=agency, subject=subject)
    assert count() == few


def test_the_audit_log_leaves_out_details_without_a_value(hr_admin, agency, client_for):
    client = client_for(hr_admin)
    client.get(reverse("compliance:report", args=[agency.pk]))
    event = AuditEvent.objects.get()
    assert event.detail["unit"] is None  # a filter left empty
    page = client.get(reverse("privacy:audit_log", args=[agency.pk])).content.decode()
    # The detail cell, whatever order the database keeps the keys in (PostgreSQL's jsonb sorts).
    cell = re.search(r"<td>([^<]*jp_compliance[^<]*)</td>", page).group(1)
    assert "None" not in cell and "unit" not in cell
    assert "year: " in cell

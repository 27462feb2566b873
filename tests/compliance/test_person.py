"""HR's per-person drill-down from the compliance report: what it shows, who may open it, the
audit event, and a query count that does not grow with the person's records."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from compliance.models import ComplianceReminder
from learners.factories import EnrollmentFactory, UserFactory, completed_enrollment
from learners.models import MembershipStatus
from tests.compliance.conftest import record
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def url(person, organization=None, **query) -> str:
    organization = organization or person.organization
    address = reverse("compliance:person", args=[organization.pk, person.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_hr_sees_the_persons_ledger_waiting_records_courses_supervisor_and_reminders(
    dewi, hr_b, boss, course_a, course_b, client_for
):
    completed_enrollment(user=dewi, course=course_a)
    verified = record(dewi, jp="8", verifier=hr_b, title="Lokakarya Anggaran")
    waiting = record(dewi, jp="5", title="Seminar Menunggu")
    EnrollmentFactory(user=dewi, course=course_b)
    ComplianceReminder.objects.create(
        person=dewi, organization=dewi.organization, sent_by=hr_b, year=2026, jp=3, target=20
    )
    response = client_for(hr_b).get(url(dewi))
    assert response.status_code == 200
    page = response.content.decode()
    overview = response.context["overview"]
    assert overview.ledger.earned == course_a.jp + Decimal("8")
    assert {entry.title for entry in overview.ledger.entries} >= {verified.title, waiting.title}
    assert [item.enrollment.course_id for item in overview.active] == [course_b.pk]
    assert overview.waiting == [waiting]
    assert overview.supervisor == boss
    assert "Atasan Bagus" in page
    assert reverse("development:record_detail", args=[verified.pk]) in page
    assert "SDM Instansi B" in page  # who sent the reminder


def test_an_unconfirmed_supervisor_is_not_shown(provider_b, hr_b, client_for):
    named = UserFactory(full_name="Atasan Belum Konfirmasi")
    person = UserFactory(
        organization=provider_b, supervisor=named, supervisor_accepted_at=timezone.now()
    )
    response = client_for(hr_b).get(url(person))
    assert response.context["overview"].supervisor is None
    assert "Atasan Belum Konfirmasi" not in response.content.decode()


def test_opening_it_is_audited_with_the_person_as_subject(dewi, hr_b, client_for):
    client_for(hr_b).get(url(dewi))
    event = AuditEvent.objects.get(action=AuditEvent.Action.RECORD_VIEWED)
    assert (event.actor, event.subject_user, event.organization_id) == (
        hr_b,
        dewi,
        dewi.organization_id,
    )
    assert event.detail["report"] == "jp_person"


def test_anyone_but_the_persons_hr_gets_404(dewi, boss, hr_other, client_for):
    colleague = UserFactory(organization=dewi.organization)
    for user in (dewi, boss, hr_other, colleague):
        assert client_for(user).get(url(dewi)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).exists()


def test_a_person_of_another_organization_or_not_confirmed_is_404(dewi, hr_b, hr_other, client_for):
    other_org = hr_other.organization_roles.first().organization
    stranger = UserFactory(organization=other_org)
    assert client_for(hr_b).get(url(stranger, dewi.organization)).status_code == 404
    pending = UserFactory(
        organization=dewi.organization, membership_status=MembershipStatus.PENDING
    )
    assert client_for(hr_b).get(url(pending)).status_code == 404


def test_the_report_links_each_name_to_the_drill_down(dewi, hr_b, client_for):
    page = client_for(hr_b).get(reverse("compliance:report", args=[dewi.organization_id]))
    assert url(dewi) in page.content.decode()


def _load(person, hr, courses, n: int) -> None:
    for index in range(n):
        record(person, jp="1", verifier=hr, days_ago=3 + index)
        record(person, jp="1", days_ago=40 + index)
    for course in courses:
        EnrollmentFactory(user=person, course=course)
    for _index in range(n):
        ComplianceReminder.objects.create(
            person=person, organization=person.organization, sent_by=hr, year=2026, jp=1, target=20
        )


def test_query_count_does_not_grow_with_records(
    dewi, hr_b, course_a, course_b, provider_b, client_for
):
    other = UserFactory(organization=provider_b, account_kind="pns")
    completed_enrollment(user=dewi, course=course_a)
    completed_enrollment(user=other, course=course_a)
    _load(dewi, hr_b, [course_b], 1)
    _load(other, hr_b, [course_b], 12)
    client = client_for(hr_b)
    assert count_queries(client, url(dewi)) == count_queries(client, url(other))


def test_query_count_is_fixed(dewi, hr_b, course_b, client_for, django_assert_num_queries):
    _load(dewi, hr_b, [course_b], 3)
    client = client_for(hr_b)
    client.get(url(dewi))
    # session, user, organization, person, waiting records, active enrollments with their
    # stored progress, the ledger (courses, records), reminders, audit event (the header's
    # roles come from the cache after the first page: cohorts.navigation)
    with django_assert_num_queries(10):
        assert client.get(url(dewi)).status_code == 200


def test_the_year_chosen_shows_that_years_entries_only(dewi, hr_b, client_for):
    this_year = record(dewi, jp="4", verifier=hr_b, days_ago=3, title="Tahun Ini")
    last_year = timezone.localdate().year - 1
    older = record(dewi, jp="4", verifier=hr_b, days_ago=400, title="Tahun Lalu")
    response = client_for(hr_b).get(url(dewi, tahun=last_year))
    titles = {entry.title for entry in response.context["ledger"].entries}
    assert response.context["year"] == last_year
    assert (older.title in titles) == (older.end_date.year == last_year)
    assert (this_year.title in titles) == (this_year.end_date.year == last_year)
    # A year the report does not offer falls back to this year.
    response = client_for(hr_b).get(url(dewi, tahun=1990))
    assert response.context["year"] == timezone.localdate().year


def test_a_pppk_is_measured_against_the_cap(provider_b, hr_b, client_for):
    pppk = UserFactory(organization=provider_b, account_kind="pppk", full_name="Gita PPPK")
    response = client_for(hr_b).get(url(pppk))
    ledger = response.context["ledger"]
    assert (ledger.target, ledger.is_cap) == (24, True)
    assert not response.context["overview"].below_target

"""HR's reminders to the PNS below this year's JP target: who is reminded (the report's
filters, PNS only), the rate limit, the log, the audit event, the e-mail, and who may send."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from compliance import reminders
from compliance.models import ComplianceReminder
from compliance.reports import ComplianceFilters
from content.factories import OrganizationFactory
from learners.factories import UserFactory, WorkUnitFactory
from tests.compliance.conftest import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(dewi, agency_b, hr_b):
    """Dewi (PNS, 6 JP verified, Bagian Umum), Eko (PNS, nothing, no unit), Fajar (PNS,
    20 JP: compliant) and Gita (PPPK, nothing)."""
    organization = agency_b["organization"]
    record(dewi, jp="6", verifier=hr_b)
    eko = UserFactory(
        email="eko@b.go.id", full_name="Eko", organization=organization, account_kind="pns"
    )
    fajar = UserFactory(
        email="fajar@b.go.id", full_name="Fajar", organization=organization, account_kind="pns"
    )
    record(fajar, jp="20", verifier=hr_b)
    gita = UserFactory(
        email="gita@b.go.id", full_name="Gita", organization=organization, account_kind="pppk"
    )
    return {"dewi": dewi, "eko": eko, "fajar": fajar, "gita": gita}


def remind_url(organization) -> str:
    return reverse("compliance:reminders", args=[organization.pk])


def test_pns_below_target_are_reminded_with_their_jp(
    staff, hr_b, client_for, year, django_capture_on_commit_callbacks
):
    organization = staff["dewi"].organization
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hr_b).post(remind_url(organization))
    assert response.status_code == 302
    logged = {r.person: r for r in ComplianceReminder.objects.all()}
    assert set(logged) == {staff["dewi"], staff["eko"]}  # not Fajar (compliant), not Gita (PPPK)
    assert logged[staff["dewi"]].jp == Decimal("6.00")
    assert (logged[staff["dewi"]].year, logged[staff["dewi"]].target) == (year, 20)
    assert {r.status for r in logged.values()} == {ComplianceReminder.Status.SENT}
    assert sorted(message.to[0] for message in mail.outbox) == ["dewi@b.go.id", "eko@b.go.id"]
    to_dewi = next(message for message in mail.outbox if message.to == ["dewi@b.go.id"])
    assert "6" in to_dewi.subject and "20" in to_dewi.subject
    assert "14" in to_dewi.body  # JP still to go, in Indonesian
    assert "Menurut catatan kami" in to_dewi.body  # in Bahasa Indonesia
    assert to_dewi.reply_to == [hr_b.email]
    event = AuditEvent.objects.get(action=AuditEvent.Action.COMPLIANCE_REMINDERS_SENT)
    assert (event.actor, event.organization_id, event.detail["reminded"]) == (
        hr_b,
        organization.pk,
        2,
    )


@pytest.fixture
def year():
    return timezone.localdate().year


def test_the_reports_unit_filter_is_respected(staff, agency_b, hr_b, client_for):
    organization = agency_b["organization"]
    client_for(hr_b).post(remind_url(organization), {"unit": agency_b["umum"].pk})
    assert list(ComplianceReminder.objects.values_list("person__full_name", flat=True)) == [
        "Dewi Lestari"
    ]


def send(organization, hr, **filters):
    return reminders.reminders_send(
        organization=organization,
        filters=ComplianceFilters(year=timezone.localdate().year, **filters),
        sent_by=hr,
    )


def test_nobody_is_reminded_twice_within_the_days(
    staff, hr_b, provider_b, settings, django_capture_on_commit_callbacks
):
    settings.LENTERA_COMPLIANCE_REMINDER_DAYS = 7
    other_hr = UserFactory(admin_of=provider_b)
    with django_capture_on_commit_callbacks(execute=True):
        first = send(provider_b, hr_b)
        second = send(provider_b, other_hr)
    assert (first.queued, first.recently_reminded) == (2, 0)
    assert (second.queued, second.recently_reminded) == (0, 2)
    ComplianceReminder.objects.update(created_at=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        third = send(provider_b, other_hr)
    assert third.queued == 2
    assert len(mail.outbox) == 4


def test_the_skipped_are_counted_in_the_message(staff, hr_b, client_for):
    client = client_for(hr_b)
    client.post(remind_url(staff["dewi"].organization))
    response = client.post(remind_url(staff["dewi"].organization), follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert any("2" in text and "7" in text for text in texts), texts


def test_one_batch_is_capped_and_the_rest_told(staff, hr_b, provider_b, monkeypatch):
    monkeypatch.setattr(reminders, "REMINDER_BATCH_MAX", 1)
    result = send(provider_b, hr_b)
    assert (result.queued, result.left_for_later) == (1, 1)
    # Lowest JP first: Eko (0) before Dewi (6).
    assert ComplianceReminder.objects.get().person == staff["eko"]


def test_the_confirmation_screen_says_how_many(staff, hr_b, client_for):
    response = client_for(hr_b).get(remind_url(staff["dewi"].organization))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.below, preview.recently_reminded, preview.to_remind) == (2, 0, 2)
    assert 'method="post"' in response.content.decode()
    assert not ComplianceReminder.objects.exists()


def test_a_unit_of_another_organization_sends_nothing(staff, hr_b, client_for):
    foreign = WorkUnitFactory(organization=OrganizationFactory())
    client_for(hr_b).post(remind_url(staff["dewi"].organization), {"unit": foreign.pk})
    assert not ComplianceReminder.objects.exists()


def test_only_the_organizations_hr_may_send(staff, hr_other, boss, client_for):
    organization = staff["dewi"].organization
    for user in (hr_other, boss, staff["dewi"]):
        assert client_for(user).post(remind_url(organization)).status_code == 404
        assert client_for(user).get(remind_url(organization)).status_code == 404
    assert not ComplianceReminder.objects.exists()
    assert not mail.outbox


def test_without_an_address_the_reminder_is_logged_not_sent(
    dewi, hr_b, provider_b, django_capture_on_commit_callbacks
):
    dewi.email = ""
    dewi.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        send(provider_b, hr_b)
    assert ComplianceReminder.objects.get().status == ComplianceReminder.Status.SKIPPED
    assert not mail.outbox


def test_the_people_reminded_find_it_in_their_notifications(staff, hr_b, provider_b, year):
    from notifications.models import Notification

    send(provider_b, hr_b)
    notifications = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    assert {n.recipient for n in notifications} == {staff["dewi"], staff["eko"]}
    assert {(n.actor, n.subject, n.url) for n in notifications} == {
        (hr_b, f"JP {year}", "/saya/pengembangan/")
    }

"""JP reminders on the database queue with the mail server down: each stays queued with the
error while a retry waits, turns failed after the last attempt, and goes once the server is back;
the person's page shows the real state, never "sent" for an e-mail that did not go."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from compliance import reminders
from compliance.models import ComplianceReminder
from compliance.reports import ComplianceFilters
from content.factories import OrganizationFactory
from learners.factories import UserFactory
from tests.task_support import smtp_back_up, work_off_queue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Status = ComplianceReminder.Status


@pytest.fixture
def below_target():
    organization = OrganizationFactory(name="Badan Surat", short_name="BS", slug="bs")
    hr = UserFactory(admin_of=organization, full_name="SDM Surat")
    staff = [
        UserFactory(organization=organization, account_kind="pns", email=f"p{n}@bs.go.id")
        for n in range(2)
    ]
    return organization, hr, staff


def _send(organization, hr) -> None:
    result = reminders.reminders_send(
        organization=organization,
        filters=ComplianceFilters(year=timezone.localdate().year),
        sent_by=hr,
    )
    assert result.queued == 2


def _time_passes() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_with_the_mail_server_down_they_stay_queued_then_fail(
    database_tasks, smtp_down, below_target, client_for
):
    organization, hr, staff = below_target
    _send(organization, hr)
    work_off_queue()
    assert set(ComplianceReminder.objects.values_list("status", flat=True)) == {Status.QUEUED}
    assert all(
        "Connection refused" in e
        for e in ComplianceReminder.objects.values_list("last_error", flat=True)
    )
    for _attempt in (2, 3):  # LENTERA_TASK_MAX_ATTEMPTS is 3 here
        _time_passes()
        work_off_queue()
    assert set(ComplianceReminder.objects.values_list("status", flat=True)) == {Status.FAILED}
    page = client_for(hr).get(reverse("compliance:person", args=[organization.pk, staff[0].pk]))
    log = page.text.split('id="reminders-title"')[1]
    assert "Gagal" in log and "Terkirim" not in log
    assert mail.outbox == []


def test_they_go_out_when_the_server_is_back(database_tasks, smtp_down, below_target, settings):
    organization, hr, staff = below_target
    _send(organization, hr)
    work_off_queue()
    smtp_back_up(settings)
    _time_passes()
    work_off_queue()
    assert set(ComplianceReminder.objects.values_list("status", "last_error")) == {
        (Status.SENT, "")
    }
    assert sorted(message.to[0] for message in mail.outbox) == ["p0@bs.go.id", "p1@bs.go.id"]

"""Reminder e-mails on the database queue with the mail server down: the log shows each
reminder's real state (queued with the last error while a retry waits, failed after the last
attempt, sent once the server answers), never "sent" for an e-mail that did not go."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cohorts.members import cohort_members_add
from cohorts.models import Reminder
from cohorts.services import reminders_send
from tests.task_support import smtp_back_up, work_off_queue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _remind(cohort, trainer, learners) -> None:
    cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    result = reminders_send(cohort=cohort, learner_ids=[u.pk for u in learners], sent_by=trainer)
    assert result.queued == len(learners)


def _statuses() -> dict[str, tuple[str, str]]:
    return {
        reminder.learner.email: (reminder.status, reminder.last_error)
        for reminder in Reminder.objects.select_related("learner")
    }


def _time_passes() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def _reminder_log(client_for, trainer, cohort) -> str:
    response = client_for(trainer).get(reverse("cohorts:detail", args=[cohort.pk]))
    assert response.status_code == 200
    return response.text.split('id="reminders-title"')[1]


def test_reminders_with_the_mail_server_down_stay_queued_then_fail_with_the_error(
    database_tasks, smtp_down, cohort, trainer, learners, client_for
):
    _remind(cohort, trainer, learners)
    work_off_queue()
    statuses = _statuses()
    assert {status for status, _ in statuses.values()} == {Reminder.Status.QUEUED}
    assert all("Connection refused" in error for _, error in statuses.values())
    log = _reminder_log(client_for, trainer, cohort)
    assert "Queued" in log and "Sent</td>" not in log
    assert "Connection refused" in log
    for _attempt in (2, 3):  # LENTERA_TASK_MAX_ATTEMPTS is 3 here
        _time_passes()
        work_off_queue()
    assert {status for status, _ in _statuses().values()} == {Reminder.Status.FAILED}
    deliver = DBTaskResult.objects.get(task_path="cohorts.tasks.reminders_deliver")
    assert deliver.status == TaskResultStatus.FAILED
    log = _reminder_log(client_for, trainer, cohort)
    assert log.count("Failed") == len(learners)
    assert "Connection refused" in log
    assert mail.outbox == []


def test_reminders_go_out_when_the_mail_server_is_back(
    database_tasks, smtp_down, cohort, trainer, learners, settings
):
    _remind(cohort, trainer, learners)
    work_off_queue()
    smtp_back_up(settings)
    _time_passes()
    work_off_queue()
    assert set(_statuses().values()) == {(Reminder.Status.SENT, "")}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in learners)


class RefusingOneAddress(EmailBackend):
    """A mail server that refuses one recipient and takes the rest."""

    def send_messages(self, messages):
        for message in messages:
            if "peserta2@" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


def test_a_refused_address_fails_alone(database_tasks, cohort, trainer, learners, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingOneAddress"
    _remind(cohort, trainer, learners)
    work_off_queue()
    statuses = _statuses()
    assert statuses["peserta2@instansi.go.id"][0] == Reminder.Status.FAILED
    assert "No such user" in statuses["peserta2@instansi.go.id"][1]
    assert statuses["peserta1@instansi.go.id"] == (Reminder.Status.SENT, "")
    assert statuses["peserta3@instansi.go.id"] == (Reminder.Status.SENT, "")
    assert len(mail.outbox) == 2

"""E-mail tasks on the database queue with the mail server down: retried with backoff, failed
only after the last attempt, delivered once the server is back; tasks whose worker died are
put back in the queue."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.task_queue import retry_delay, tasks_stuck_requeue
from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from learners.tasks import certificate_issued_notify
from tests.task_support import smtp_back_up, work_off_queue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOTIFY = certificate_issued_notify.module_path


def _certificate_issued(course):
    learner = UserFactory(email="lulus@instansi.go.id", full_name="Siti Lulus")
    services.enrollment_create(user=learner, course=course)
    for lesson in LessonPage.objects.descendant_of(course).live():
        progress.lesson_complete(user=learner, lesson=lesson)


def _notify_row() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path=NOTIFY)


def _time_passes() -> None:
    """The backoff has elapsed: the waiting retry is due now."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_certificate_email_is_retried_with_backoff_then_fails_after_the_last_attempt(
    database_tasks, smtp_down, course_a
):
    _certificate_issued(course_a)
    # LENTERA_TASK_RETRY_DELAY is 60 s here: the wait doubles after each failed attempt.
    for attempt, wait in ((1, 60), (2, 120)):
        work_off_queue()
        after = timezone.now()
        row = _notify_row()
        # Not failed yet: back in the queue, later, with the refused connection as last error.
        assert row.status == TaskResultStatus.READY
        assert len(row.worker_ids) == attempt
        assert "ConnectionRefusedError" in row.traceback
        assert retry_delay(attempt=attempt) == timedelta(seconds=wait)
        assert (
            after + timedelta(seconds=wait - 10) < row.run_after <= after + timedelta(seconds=wait)
        )
        # Not run again before its time.
        work_off_queue()
        assert len(_notify_row().worker_ids) == attempt
        _time_passes()
    work_off_queue()
    row = _notify_row()
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 3
    assert row.exception_class_path == "builtins.ConnectionRefusedError"
    assert mail.outbox == []


def test_certificate_email_goes_out_once_the_mail_server_is_back(
    database_tasks, smtp_down, course_a, settings
):
    _certificate_issued(course_a)
    work_off_queue()
    assert _notify_row().status == TaskResultStatus.READY
    smtp_back_up(settings)
    _time_passes()
    work_off_queue()
    row = _notify_row()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2
    assert [message.to for message in mail.outbox] == [["lulus@instansi.go.id"]]


def test_a_bug_is_not_retried(database_tasks):
    # Called wrongly (a TypeError): it would fail the same way every time.
    certificate_issued_notify.enqueue(certificate=1)
    work_off_queue()
    row = _notify_row()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.TypeError"
    assert len(row.worker_ids) == 1


def _claimed(*, worker_id: str, started_at=None, claims: int = 1) -> DBTaskResult:
    """A notification task a worker took and never finished (the process was killed)."""
    result = certificate_issued_notify.enqueue(certificate_id=0)
    row = DBTaskResult.objects.get(pk=result.id)
    for number in range(claims):
        row.claim(worker_id if number == claims - 1 else f"earlier-{number}")
    if started_at:
        DBTaskResult.objects.filter(pk=row.pk).update(started_at=started_at)
    return row


def test_a_task_killed_mid_run_is_requeued_when_its_worker_restarts(database_tasks):
    killed = _claimed(worker_id="lentera-worker-1")
    other = _claimed(worker_id="lentera-worker-2")  # another worker, still alive
    work_off_queue(worker_id="lentera-worker-1")
    killed.refresh_from_db()
    assert killed.status == TaskResultStatus.SUCCESSFUL
    assert killed.worker_ids == ["lentera-worker-1", "lentera-worker-1"]
    other.refresh_from_db()
    assert other.status == TaskResultStatus.RUNNING


def test_lentera_daily_requeues_tasks_running_past_the_timeout(database_tasks, settings):
    from django.core.management import call_command

    settings.LENTERA_TASKS_STUCK_AFTER = 1800
    stuck = _claimed(worker_id="gone", started_at=timezone.now() - timedelta(hours=2))
    busy = _claimed(worker_id="alive", started_at=timezone.now() - timedelta(minutes=5))
    call_command("lentera_daily", stdout=io.StringIO())
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == TaskResultStatus.READY
    assert stuck.run_after <= timezone.now()
    assert busy.status == TaskResultStatus.RUNNING


def test_a_task_that_keeps_losing_its_worker_fails_for_good(database_tasks):
    doomed = _claimed(
        worker_id="gone", started_at=timezone.now() - timedelta(days=1), claims=3
    )  # LENTERA_TASK_MAX_ATTEMPTS is 3 here
    assert tasks_stuck_requeue().failed == 1
    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert doomed.exception_class_path == "core.task_queue.TaskWorkerLost"
    assert "stopped 3 times" in doomed.traceback

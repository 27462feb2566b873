"""The task queue on Redis (core.task_rq), with a real Redis and `manage.py rqworker` in processes
of their own: what a learner's completion queues is done by the worker (and /healthz tells a
queue without a worker from one worked off), a mail server that is down is tried again with
Lentera's backoff, a bug is not, and a task that records its last attempt (cohort reminders)
knows which attempt is the last."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from rq.registry import ScheduledJobRegistry

from cohorts.members import cohort_members_add
from cohorts.services import cohort_create, reminders_send
from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from learners.models import Certificate
from learners.tasks import certificate_issued_notify
from tests.operations.processes import rq_worker_env, rqworker, shared_rows
from tests.task_support import closed_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _worker_env(tmp_path, url, *, email_url: str) -> dict:
    return rq_worker_env(
        tmp_path,
        url,
        email_url=email_url,
        LENTERA_TASK_MAX_ATTEMPTS="3",
        LENTERA_TASK_RETRY_DELAY="1",
    )


def _completed_course(course) -> Certificate:
    learner = UserFactory(email="tuntas@instansi.go.id", full_name="Rina Tuntas")
    services.enrollment_create(user=learner, course=course)
    for lesson in LessonPage.objects.descendant_of(course).live():
        progress.lesson_complete(user=learner, lesson=lesson)
    return Certificate.objects.get(enrollment__user=learner)


def test_a_completion_queued_on_redis_is_done_by_an_rqworker_process(
    rq_queue, course_a, tmp_path, client, settings
):
    settings.LENTERA_TASKS_STALLED_AFTER = 1
    certificate = _completed_course(course_a)
    queued = task_backends["default"]._get_queues()[0].get_jobs()
    by_task = {job.func_name: job.id for job in queued}
    # The certificate's two tasks, and Wagtail's own search-index update (modelsearch's task,
    # queued when the certificate's enrollment changed) on the same queue.
    assert {
        "learners.tasks.certificate_pdf_generate",
        "learners.tasks.certificate_issued_notify",
    } <= set(by_task)
    assert certificate.pdf.name == ""  # nothing done in the web process
    time.sleep(2.1)
    body = client.get("/healthz").json()
    assert body["tasks"] == "stalled"  # waiting longer than LENTERA_TASKS_STALLED_AFTER: no worker
    assert body["oldest_task_wait_seconds"] >= 2
    assert body["task_workers"] == 0

    mail = tmp_path / "mail"
    rqworker(_worker_env(tmp_path, rq_queue, email_url=f"filemail:///{mail}"))

    backend = task_backends["default"]
    for result_id in by_task.values():
        result = backend.get_result(result_id)
        assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
        assert result.attempts == 1
    (message,) = mail.iterdir()
    text = message.read_text()
    assert "To: tuntas@instansi.go.id" in text
    assert course_a.title in text
    # The PDF went to the worker's private storage (the folder every machine mounts).
    pdfs = list((tmp_path / "private-media").rglob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert client.get("/healthz").json() == {
        "status": "ok",
        "database": "ok",
        "tasks": "ok",
        "oldest_task_wait_seconds": 0,
        "failed_tasks": 0,
        "stuck_tasks": 0,
        "task_workers": 0,  # the burst worker left
    }


def test_a_mail_server_that_is_down_is_tried_again_with_backoff(rq_queue, course_a, tmp_path):
    certificate = _completed_course(course_a)
    backend = task_backends["default"]
    for job_id in backend._get_queues()[0].get_job_ids():
        backend._get_queues()[0].remove(job_id)  # this test follows the e-mail alone
    result = certificate_issued_notify.enqueue(certificate_id=certificate.pk)

    down = f"smtp://127.0.0.1:{closed_port()}"
    before = datetime.now(tz=UTC)
    rqworker(_worker_env(tmp_path, rq_queue, email_url=down))

    queue = backend._get_queues()[0]
    job = queue.fetch_job(result.id)
    assert job.get_status() == "scheduled"
    assert job.retries_left == 1  # 3 attempts in all: 1 spent
    retry_at = ScheduledJobRegistry(queue=queue).get_scheduled_time(job)
    assert 0 < (retry_at - before).total_seconds() < 30  # LENTERA_TASK_RETRY_DELAY=1, doubling
    assert backend.get_result(result.id).status == TaskResultStatus.READY

    # The mail server is back; the retry falls due and the next worker burst sends it.
    time.sleep(max(0.0, (retry_at - datetime.now(tz=UTC)).total_seconds()) + 0.2)
    mail = tmp_path / "mail"
    rqworker(_worker_env(tmp_path, rq_queue, email_url=f"filemail:///{mail}"))
    assert backend.get_result(result.id).status == TaskResultStatus.SUCCESSFUL
    assert len(list(mail.iterdir())) == 1


def test_a_failure_that_is_not_passing_is_not_retried(rq_queue, tmp_path):
    """A task raising something other than its passing failures (here, a page that does not
    exist: a bug, as far as the queue knows) fails at once on Redis as on the database queue."""
    from core.task_queue import retried_on

    assert retried_on(certificate_issued_notify)  # mail errors only
    result = certificate_issued_notify.enqueue(certificate_id="not a number")
    rqworker(_worker_env(tmp_path, rq_queue, email_url="dummymail://"))
    final = task_backends["default"].get_result(result.id)
    assert final.status == TaskResultStatus.FAILED
    assert final.errors[-1].exception_class_path == "builtins.ValueError"
    assert final.attempts == 1


def test_healthz_is_503_when_the_queue_redis_does_not_answer(client, settings):
    settings.TASKS = {"default": {"BACKEND": "core.task_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{closed_port()}/0"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "error"}


def test_cohort_reminders_turn_failed_on_the_last_attempt_on_redis(
    rq_queue, course_a, tmp_path, settings
):
    """`task_is_last_attempt` on rq: reminders stay queued after the first failed attempt and
    turn failed, with the mail server's error, after the last (2 attempts here)."""
    settings.LENTERA_TASK_MAX_ATTEMPTS = 2
    trainer = UserFactory(email="widyaiswara@instansi.go.id", trainer_of=course_a)
    cohort = cohort_create(
        course=course_a,
        name="Angkatan I",
        starts_on=timezone.localdate() - timedelta(days=14),
        ends_on=timezone.localdate() + timedelta(days=15),
        created_by=trainer,
    )
    learners = [UserFactory(email=f"peserta{n}@instansi.go.id") for n in (1, 2)]
    cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    assert (
        reminders_send(cohort=cohort, learner_ids=[u.pk for u in learners], sent_by=trainer).queued
        == 2
    )

    env = rq_worker_env(
        tmp_path,
        rq_queue,
        email_url=f"smtp://127.0.0.1:{closed_port()}",
        LENTERA_TASK_MAX_ATTEMPTS="2",
        LENTERA_TASK_RETRY_DELAY="1",
    )
    statuses = "SELECT status, last_error FROM cohorts_reminder"
    rqworker(env)
    after_first = shared_rows(env["DATABASE_URL"], statuses)
    assert {status for status, _ in after_first} == {"queued"}
    assert all("refused" in error for _, error in after_first)
    time.sleep(1.2)
    rqworker(env)
    after_last = shared_rows(env["DATABASE_URL"], statuses)
    assert {status for status, _ in after_last} == {"failed"}

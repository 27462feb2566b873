"""The task queue on Redis (TASKS_BACKEND=core.task_rq.RQBackend), for several app servers.

django-tasks-rq's backend, with what Lentera's database queue does (core.task_queue) done the
way rq does it: every task is enqueued with rq's own `Retry`, so that

- a task declared with `retry_on` that raises one of its passing failures (the mail server down)
  is tried again after LENTERA_TASK_RETRY_DELAY, doubling up to LENTERA_TASK_RETRY_MAX_DELAY,
  at most LENTERA_TASK_MAX_ATTEMPTS times in all;
- a task whose worker died under it (rq's AbandonedJobError, found when a worker cleans the
  started-job registry) goes back in the queue while it has attempts left: the lost run counts
  as one of its LENTERA_TASK_MAX_ATTEMPTS, and it waits like a retry. With
  LENTERA_TASK_MAX_ATTEMPTS=1 (no rq `Retry` at all) it fails at once, as `tasks_stuck_requeue`
  fails a task on the database queue once it has lost that many workers. Lentera's tasks are
  safe to run twice;
- any other failure (a bug) fails at once.

Retries wait in rq's scheduled-job registry: the worker must run with its scheduler,
`manage.py rqworker default --with-scheduler` (README, "Deploying on several machines").
Only the last failure of a task keeps its traceback in the task result: rq records a result for
an attempt only once nothing retries it.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import django_rq
from django.conf import settings
from django.utils import timezone
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as upstream
from rq.defaults import DEFAULT_FAILURE_TTL
from rq.exceptions import AbandonedJobError
from rq.job import Callback, JobStatus, Retry, get_current_job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from rq.worker import Worker

from core.task_queue import retried_on, retry_delay


class Job(upstream.Job):
    """The job class of the queue and its workers (RQ["JOB_CLASS"] in the settings)."""


def job_failed(job: Job, connection, exception_class, exception_value, traceback) -> None:
    """rq's failure callback: decide whether this failure is tried again, then tell django-tasks.

    rq calls it before it looks at `retries_left`, on the same job object: a failure that is not
    a passing one (nor a lost worker) ends the retries here.
    """
    if not issubclass(exception_class, (AbandonedJobError, *retried_on(job.func))):
        job.retries_left = 0
    upstream.failed_callback(job, connection, exception_class, exception_value, traceback)


def job_succeeded(job: Job, connection, result: Any) -> None:
    upstream.success_callback(job, connection, result)


def rq_retry() -> Retry | None:
    """rq's retries: LENTERA_TASK_MAX_ATTEMPTS attempts in all, waits doubling as on the
    database queue (core.task_queue.retry_delay)."""
    retries = settings.LENTERA_TASK_MAX_ATTEMPTS - 1
    if retries < 1:
        return None
    return Retry(
        max=retries,
        interval=[
            int(retry_delay(attempt=attempt).total_seconds()) for attempt in range(1, retries + 1)
        ],
    )


def rq_job_is_last_attempt() -> bool:
    """Inside a worker: whether a failure of the running job would be its last (no retry left)."""
    job = get_current_job()
    return job is None or not job.should_retry


class RQBackend(upstream.RQBackend):
    """django-tasks-rq's backend, enqueueing every task with rq's retries and Lentera's
    callbacks (upstream's `enqueue`, with `retry`, `on_failure` and `on_success` changed)."""

    def current_attempt_is_last(self) -> bool:
        """Asked by core.task_queue.task_is_last_attempt: rq, not Lentera, retries here."""
        return rq_job_is_last_attempt()

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            retry=rq_retry(),
            on_failure=Callback(job_failed),
            on_success=Callback(job_succeeded),
            meta={"backend_name": self.alias},
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result


def _aware(moment: datetime | None) -> datetime | None:
    """rq keeps naive UTC times."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=UTC)


def rq_queue_health(queue_names, *, now: datetime | None = None) -> dict:
    """What /healthz says of the queue on Redis, in the database queue's terms.

    - oldest_task_wait_seconds: the longest a task ready to run has waited: the head of each
      queue since it was enqueued, and a retry or deferred task since its time came (a worker
      started without --with-scheduler never moves those, and shows up here);
    - failed_tasks: tasks failed for good in the last day (rq's failed-job registry, whose
      entries expire DEFAULT_FAILURE_TTL after their failure);
    - stuck_tasks: tasks running for longer than LENTERA_TASKS_STUCK_AFTER;
    - task_workers: workers listening to these queues (rq's worker registry, kept by heartbeats).
    """
    now = now or timezone.now()
    connection = django_rq.get_connection()
    waiting = timedelta(0)
    failed = stuck = workers = 0
    stuck_before = now - timedelta(seconds=settings.LENTERA_TASKS_STUCK_AFTER)
    failed_since = int((now - timedelta(days=1)).timestamp()) + DEFAULT_FAILURE_TTL
    for name in sorted(queue_names):
        queue = django_rq.get_queue(name, job_class=Job)
        head = queue.get_job_ids(0, 1)
        if head and (job := queue.fetch_job(head[0])) is not None and job.enqueued_at:
            waiting = max(waiting, now - _aware(job.enqueued_at))
        scheduled = ScheduledJobRegistry(queue=queue)
        due = connection.zrangebyscore(
            scheduled.key, 0, int(now.timestamp()), start=0, num=1, withscores=True
        )
        if due:
            waiting = max(waiting, now - datetime.fromtimestamp(due[0][1], tz=UTC))
        failed += connection.zcount(FailedJobRegistry(queue=queue).key, failed_since, "+inf")
        for job_id in StartedJobRegistry(queue=queue).get_job_ids():
            job = queue.fetch_job(job_id)
            if job is not None and job.started_at and _aware(job.started_at) < stuck_before:
                stuck += 1
        workers = max(workers, Worker.count(connection=connection, queue=queue))
    return {
        "oldest_task_wait_seconds": int(waiting.total_seconds()),
        "failed_tasks": failed,
        "stuck_tasks": stuck,
        "task_workers": workers,
    }

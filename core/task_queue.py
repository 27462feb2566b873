"""Nothing lost when a part fails: retries with backoff for tasks that met a passing failure
(the mail server down), tasks whose worker died put back in the queue, and the queue's health.

django-tasks 0.12 and django-tasks-db 0.13 have neither retries nor a way out of RUNNING for a
task whose worker was killed (django-tasks issues #6 and #46): this module is that small piece,
built on what they do provide (the `task_finished` signal, `run_after`, `TaskContext.attempt`,
which counts the workers that claimed the task). A retried task keeps its one result row, so
its attempts and its last error stay together. The queue on Redis (core.task_rq) retries with
rq's own mechanism under the same settings; the immediate backend (tests, local experiments)
runs a task once.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskContext, TaskResult, TaskResultStatus
from django_tasks.base import Task
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core.daily import daily_job

logger = logging.getLogger(__name__)

#: What a mail server that is down, unreachable, slow or refusing for now raises.
#: (smtplib.SMTPException is an OSError too; it is named for the reader.)
MAIL_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)

# Task path -> the exceptions after which it is tried again.
_RETRIED_ON: dict[str, tuple[type[BaseException], ...]] = {}


class TaskWorkerLost(Exception):
    """Recorded as the error of a task whose worker stopped under it too many times."""


def retry_on(*exceptions: type[BaseException]) -> Callable[[Task], Task]:
    """Declare a task safe to run again, and retried with backoff when it raises `exceptions`.

    Put it above `@task()`. The task ends FAILED only after LENTERA_TASK_MAX_ATTEMPTS tries.
    """

    def register(task: Task) -> Task:
        _RETRIED_ON[task.module_path] = exceptions
        return task

    return register


def retried_on(task: Task) -> tuple[type[BaseException], ...]:
    """The exceptions after which `task` is tried again (none unless declared with `retry_on`)."""
    return _RETRIED_ON.get(task.module_path, ())


def _retries(task: Task) -> bool:
    """Whether this module retries `task` (the database queue); on Redis, rq does
    (core.task_rq)."""
    return task.module_path in _RETRIED_ON and isinstance(task.get_backend(), DatabaseBackend)


def retry_delay(*, attempt: int) -> timedelta:
    """The wait after failed attempt `attempt` (1, 2, ...): doubling, capped."""
    first = settings.LENTERA_TASK_RETRY_DELAY
    return timedelta(seconds=min(first * 2 ** (attempt - 1), settings.LENTERA_TASK_RETRY_MAX_DELAY))


def task_is_last_attempt(context: TaskContext) -> bool:
    """Whether a failure of the running attempt would be final (nothing would retry it)."""
    task = context.task_result.task
    backend = task.get_backend()
    # A backend that retries by itself (core.task_rq: rq on Redis) knows whether the running
    # attempt is its last; this module is not imported back by it.
    if task.module_path in _RETRIED_ON and hasattr(backend, "current_attempt_is_last"):
        return backend.current_attempt_is_last()
    return not _retries(task) or context.attempt >= settings.LENTERA_TASK_MAX_ATTEMPTS


@receiver(task_finished, dispatch_uid="core_task_retry")
def task_retry_schedule(sender, task_result: TaskResult, **kwargs) -> None:
    """Put a failed attempt of a retried task back in the queue, later, while tries remain."""
    if task_result.status != TaskResultStatus.FAILED or not task_result.errors:
        return
    task = task_result.task
    if not _retries(task):
        return
    try:
        error_class = task_result.errors[-1].exception_class
    except (ImportError, ValueError):
        return
    if not issubclass(error_class, _RETRIED_ON[task.module_path]):
        return  # a bug, not a passing failure: retrying would fail the same way
    attempt = task_result.attempts
    if attempt >= settings.LENTERA_TASK_MAX_ATTEMPTS:
        logger.error(
            "Task %s (%s) failed for good after %d attempts", task_result.id, task.name, attempt
        )
        return
    run_after = timezone.now() + retry_delay(attempt=attempt)
    # The row keeps its traceback (the last error) while it waits; the worker ids list grows
    # with each claim, which is how the attempts are counted.
    DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    logger.warning(
        "Task %s (%s) failed on attempt %d (%s); retrying after %s",
        task_result.id,
        task.name,
        attempt,
        task_result.errors[-1].exception_class_path,
        run_after.isoformat(),
    )


def _stuck_before(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.LENTERA_TASKS_STUCK_AFTER)


def tasks_stuck(*, now: datetime | None = None) -> QuerySet[DBTaskResult]:
    """Tasks RUNNING for longer than LENTERA_TASKS_STUCK_AFTER: their worker is surely gone."""
    return DBTaskResult.objects.running().filter(
        started_at__lt=_stuck_before(now or timezone.now())
    )


@dataclass
class TasksRequeued:
    requeued: int = 0
    failed: int = 0


def tasks_stuck_requeue(
    *, worker_id: str | None = None, now: datetime | None = None
) -> TasksRequeued:
    """Put back in the queue the tasks whose worker is gone; returns how many.

    Gone means RUNNING for longer than LENTERA_TASKS_STUCK_AFTER, or last claimed by
    `worker_id` when a worker (re)starts under that id: it runs nothing yet, so the process
    that held the id died mid-task. Lentera's tasks are safe to run twice. A task that lost
    its worker LENTERA_TASK_MAX_ATTEMPTS times (one that kills it, say) ends FAILED instead.
    """
    now = now or timezone.now()
    result = TasksRequeued()
    # RUNNING rows are few (one per busy worker): reading them beats a JSON lookup that
    # SQLite cannot do.
    for row in DBTaskResult.objects.running().only("id", "started_at", "worker_ids"):
        mine = bool(worker_id) and bool(row.worker_ids) and row.worker_ids[-1] == worker_id
        if not mine and not (row.started_at and row.started_at < _stuck_before(now)):
            continue
        unchanged = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= settings.LENTERA_TASK_MAX_ATTEMPTS:
            result.failed += unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{TaskWorkerLost.__module__}.{TaskWorkerLost.__qualname__}",
                traceback=(
                    f"The worker running this task stopped {len(row.worker_ids)} times "
                    "(killed, restarted or lost its database); it is not tried again.\n"
                ),
            )
        else:
            result.requeued += unchanged.update(status=TaskResultStatus.READY, run_after=now)
    if result.requeued or result.failed:
        logger.warning(
            "Tasks whose worker was gone: %d requeued, %d failed for good",
            result.requeued,
            result.failed,
        )
    return result


def task_queue_health(*, now: datetime | None = None) -> dict:
    """Counts for /healthz: tasks failed for good in the last day, and stuck ones."""
    now = now or timezone.now()
    return {
        "failed_tasks": DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timedelta(days=1))
        .count(),
        "stuck_tasks": tasks_stuck(now=now).count(),
    }


@daily_job(name="tasks_stuck_requeue", order=90)
def tasks_stuck_requeue_daily(today: date) -> str:
    """The daily job (core.daily): tasks whose worker died go back in the queue, or fail for
    good after their last attempt."""
    lost = tasks_stuck_requeue()
    return f"{lost.requeued} task(s) whose worker died requeued, {lost.failed} failed for good."

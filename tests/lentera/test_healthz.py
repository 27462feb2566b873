"""GET /healthz: 200 when the database answers, 503 when it does not."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "tasks": "ok"}


def test_healthz_reports_database_down_as_503(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    # The database refuses every statement, as it would with the server down.
    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_healthz_shows_a_stalled_task_queue(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    an_hour_ago = timezone.now() - timedelta(hours=1)
    queued = DBTaskResult.objects.create(
        task_path="learners.tasks.certificate_pdf_generate",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=an_hour_ago,
        exception_class_path="",
        traceback="",
    )
    # No worker has picked it up for an hour.
    DBTaskResult.objects.filter(pk=queued.pk).update(enqueued_at=an_hour_ago)
    body = client.get("/healthz").json()
    assert body["tasks"] == "stalled"
    assert body["oldest_task_wait_seconds"] >= 3600


def _task_row(**fields):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        task_path="learners.tasks.certificate_issued_notify",
        args_kwargs={"args": [], "kwargs": {"certificate_id": 1}},
        queue_name="default",
        backend_name="default",
        priority=0,
        exception_class_path="",
        traceback="",
        **fields,
    )


def test_healthz_counts_failed_and_stuck_tasks_and_stays_200(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LENTERA_TASKS_STUCK_AFTER = 1800
    now = timezone.now()
    # Two e-mails failed for good today; one failed last week (no longer counted).
    for finished_at in (
        now - timedelta(hours=1),
        now - timedelta(hours=2),
        now - timedelta(days=7),
    ):
        _task_row(status="FAILED", finished_at=finished_at, worker_ids=["w"])
    # A worker killed mid-task two hours ago; another task has been running for a minute.
    for started_at in (now - timedelta(hours=2), now - timedelta(minutes=1)):
        row = _task_row(status="RUNNING", worker_ids=["w"])
        DBTaskResult.objects.filter(pk=row.pk).update(started_at=started_at)

    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["tasks"] == "stuck"
    assert (body["failed_tasks"], body["stuck_tasks"]) == (2, 1)


def test_healthz_reports_failing_tasks_without_stuck_ones(client, settings):
    from django.utils import timezone

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _task_row(status="FAILED", finished_at=timezone.now(), worker_ids=["w"])
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks": "failing",
        "oldest_task_wait_seconds": 0,
        "failed_tasks": 1,
        "stuck_tasks": 0,
    }

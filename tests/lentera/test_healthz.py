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

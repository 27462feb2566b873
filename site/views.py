"""Operational endpoints that belong to no single app."""

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _task_queue_state() -> dict:
    """How long the oldest queued task has waited: a stopped worker shows up here."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return {"tasks": "ok"}
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    waiting = (timezone.now() - oldest) if oldest else timedelta(0)
    stalled = waiting > timedelta(seconds=settings.LENTERA_TASKS_STALLED_AFTER)
    return {
        "tasks": "stalled" if stalled else "ok",
        "oldest_task_wait_seconds": int(waiting.total_seconds()),
    }


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: 503 when the database does not answer.

    A stalled task queue (no worker running) is reported but keeps 200: the site still serves.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        tasks = _task_queue_state()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", **tasks})

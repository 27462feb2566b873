"""Operational endpoints that belong to no single app."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from redis.exceptions import RedisError

from content.inputs import InvalidInput


def _task_queue_state() -> dict:
    """How long the oldest queued task has waited (a stopped worker shows up here), and how many
    tasks failed for good in the last day or are stuck with a worker that died."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "core.task_rq.RQBackend":
        # The queue on Redis (several machines): the same figures, from rq's registries.
        from django_tasks import task_backends

        from core.task_rq import rq_queue_health

        counts = rq_queue_health(task_backends["default"].queues)
        waiting = timedelta(seconds=counts.pop("oldest_task_wait_seconds"))
    elif backend == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        from core.task_queue import task_queue_health

        oldest = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        waiting = (timezone.now() - oldest) if oldest else timedelta(0)
        counts = task_queue_health()
    else:
        return {"tasks": "ok"}
    stalled = waiting > timedelta(seconds=settings.LENTERA_TASKS_STALLED_AFTER)
    if stalled:
        state = "stalled"
    elif counts["stuck_tasks"]:
        state = "stuck"
    elif counts["failed_tasks"]:
        state = "failing"
    else:
        state = "ok"
    return {
        "tasks": state,
        "oldest_task_wait_seconds": int(waiting.total_seconds()),
        **counts,
    }


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: 503 when the database does not answer.

    A stalled task queue (no worker running), stuck or failed tasks are reported but keep 200:
    the site still serves. With the queue on Redis, a Redis that does not answer is a 503.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        tasks = _task_queue_state()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    except RedisError:
        # The queue on Redis does not answer: the cache and sessions share that Redis.
        return JsonResponse({"status": "error", "database": "ok", "redis": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", **tasks})


def bad_request(request, exception=None):
    """Django's handler400: a request Lentera cannot act on, said in the user's language.

    `InvalidInput` carries a message meant for the user; other bad requests (a malformed
    upload, a broken session) get a general one, as their own messages are for developers. A
    body over `DATA_UPLOAD_MAX_MEMORY_SIZE` is a 413. Under /api/ the answer is JSON, shaped as
    each API shapes its errors (the learner API's `code` and `detail`, Wagtail's `message`).
    """
    if isinstance(exception, RequestDataTooBig):
        status, code = 413, "too_large"
        message = _("The request is too large: at most %(size)s MB.") % {
            "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        }
    elif isinstance(exception, InvalidInput):
        status, code, message = 400, "bad_request", str(exception.message)
    else:
        status, code = 400, "bad_request"
        message = _("The request could not be understood. Check the address or the form.")
    if request.path.startswith("/api/v2/"):
        return JsonResponse({"message": message}, status=status)
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "detail": message}, status=status)
    return TemplateResponse(request, "400.html", {"message": message}, status=status).render()


@never_cache
def admin_login(request):
    """Where Wagtail sends the people its admin turns away (`WAGTAILADMIN_LOGIN_URL`).

    Anonymous people go on to the sign-in page (allauth, with its MFA step and rate limits).
    People signed in without admin access (learners, organization admins) get a 403 page that
    says why: the sign-in page sends people who are signed in back to `next`, the admin, which
    would send them here again, in a loop.
    """
    user = request.user
    if user.is_authenticated and not user.has_perm("wagtailadmin.access_admin"):
        # /admin/ has no language prefix, which would mean Indonesian for everyone: the page
        # speaks the browser's language instead.
        language = translation.get_language_from_request(request)
        # Wagtail queued a shorter message on the way here, in the admin's language: this page
        # says it all, so the queue is read (which empties it) and not shown.
        list(messages.get_messages(request))
        with translation.override(language):
            response = TemplateResponse(
                request, "admin_access_denied.html", {"messages": ()}, status=403
            ).render()
        response.headers["Content-Language"] = language
        return response
    login_url = reverse("account_login")
    query = request.GET.urlencode(safe="/")
    return redirect(f"{login_url}?{query}" if query else login_url)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the hashed static
    icon. Not permanent, so a new icon reaches them within a day."""
    return redirect(static("favicon.ico"))

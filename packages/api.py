"""Package lesson endpoints of the learner API (/api/v1/), a router `lentera.learner_api` adds.

Same session authentication, CSRF and error bodies as the rest of the learner API. The lesson
page's bridge (frontend/src/ui/package-lesson.js) calls them for the player in the package
origin, which never holds the learner's session: the player only posts messages to the page.

- GET  package-lessons/{id}/runtime: the runtime config (`packages.selectors.runtime_config`).
- POST package-lessons/{id}/commits: a SCORM commit (scorm-again's JSON form).
- POST package-lessons/{id}/xapi: an H5P xAPI statement and H5P's user state.

Both POSTs are idempotent by `event_id` (a replay answers `replayed: true`), rate-limited per
learner and lesson (LENTERA_PACKAGE_COMMITS_PER_MINUTE, answered 429 `rate_limited`; records
replayed from the device's outbox carry `"queued": true` and have ten times that budget, counted
apart), dated by the server's clock unless `queued` (then by `committed_at`), and refuse
data the standard does not allow with 400 `invalid_cmi` (SCORM) or `invalid_statement` (xAPI),
naming the element. The learner is the session's user and the attempt is theirs, found from
their enrollment: no endpoint takes an attempt id.
"""

import uuid
from datetime import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema

from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from packages import selectors, services
from packages.models import PackageLessonPage

router = Router(tags=["packages"])

QUEUED_HELP = (
    "Replayed from the device's outbox: committed_at (the device's clock) dates it. "
    "A live commit is dated by the server"
)


class CommitIn(Schema):
    item: str = Field(max_length=255, description="The manifest item (SCO) the data is for")
    event_id: uuid.UUID = Field(description="Made on the device; sending it again is safe")
    committed_at: datetime = Field(description="When the device made the commit")
    cmi: dict = Field(description="The data model in scorm-again's JSON commit form")
    terminate: bool = Field(default=False, description="The SCO's session ended")
    queued: bool = Field(default=False, description=QUEUED_HELP)


class XapiIn(Schema):
    event_id: uuid.UUID = Field(description="Made on the device; sending it again is safe")
    committed_at: datetime = Field(description="When the device recorded the statement")
    statement: dict = Field(description="The xAPI statement H5P dispatched")
    state: str | None = Field(default=None, description="H5P's user state; null leaves it")
    queued: bool = Field(default=False, description=QUEUED_HELP)


class ScoreOut(Schema):
    raw: float | None
    min: float | None
    max: float | None
    scaled: float | None = Field(description="In [-1, 1]")


class CommitOut(Schema):
    item: str
    completion_status: str = Field(description="not attempted, incomplete, completed or unknown")
    success_status: str = Field(description="passed, failed or unknown")
    score: ScoreOut | None
    lesson_completed: bool
    course_completed: bool
    certificate_url: str | None
    replayed: bool = Field(description="This event was already recorded; nothing changed")


COMMIT_RESPONSES = {
    200: CommitOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    429: ErrorOut,
    **NOT_SIGNED_IN,
    **INVALID_INPUT,
}


def _lesson(lesson_id: int) -> PackageLessonPage:
    return get_object_or_404(
        PackageLessonPage.objects.live().public().select_related("package"), pk=lesson_id
    )


def _commit_out(result: services.CommitResult) -> dict:
    certificate = result.certificate
    return {
        "item": result.item,
        "completion_status": result.completion_status,
        "success_status": result.success_status,
        "score": result.score,
        "lesson_completed": result.lesson_completed,
        "course_completed": result.course_completed,
        "certificate_url": reverse("learners:certificate_pdf", args=[certificate.code])
        if certificate
        else None,
        "replayed": result.replayed,
    }


@router.get(
    "/package-lessons/{lesson_id}/runtime",
    response={200: dict, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    url_name="package_runtime",
    summary="The runtime config of a package lesson for me (items, my stored data, URLs)",
)
def runtime_config(request, lesson_id: int, response: HttpResponse):
    lesson = _lesson(lesson_id)
    # Personal (the learner's data): never kept by a cache on the way.
    response["Cache-Control"] = "private, no-store"
    return selectors.runtime_config(user=request.user, lesson=lesson, request=request)


@router.post(
    "/package-lessons/{lesson_id}/commits",
    response=COMMIT_RESPONSES,
    url_name="package_commit",
    summary="Store a SCORM commit of my attempt (idempotent by event_id)",
)
def commit(request, lesson_id: int, payload: CommitIn):
    lesson = _lesson(lesson_id)
    services.commits_allowed(user=request.user, lesson_id=lesson.pk, queued=payload.queued)
    result = services.runtime_commit(
        user=request.user,
        lesson=lesson,
        item=payload.item,
        event_id=payload.event_id,
        committed_at=payload.committed_at,
        cmi=payload.cmi,
        terminate=payload.terminate,
        queued=payload.queued,
    )
    return _commit_out(result)


@router.post(
    "/package-lessons/{lesson_id}/xapi",
    response=COMMIT_RESPONSES,
    url_name="package_xapi",
    summary="Record an H5P xAPI statement of my attempt (idempotent by event_id)",
)
def xapi(request, lesson_id: int, payload: XapiIn):
    lesson = _lesson(lesson_id)
    services.commits_allowed(user=request.user, lesson_id=lesson.pk, queued=payload.queued)
    result = services.xapi_record(
        user=request.user,
        lesson=lesson,
        event_id=payload.event_id,
        committed_at=payload.committed_at,
        statement=payload.statement,
        state=payload.state,
        queued=payload.queued,
    )
    return _commit_out(result)

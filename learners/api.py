"""The learner's own endpoints of the learner API (/api/v1/): enrollments, lesson completion,
certificates (the JP ledger is `development.api`), a router `lentera.learner_api` adds.

Session authentication with CSRF on unsafe methods; the same services and permission rules as
the HTML pages. Course and lesson ids are Wagtail page ids. Errors carry a stable `code` and a
`detail` in the user's language (`core.api`; a `learners.errors.LearningError` is answered with its
own code and status).
"""

import uuid
from datetime import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from courses.models import CoursePage, LessonPage
from learners import progress, selectors, services
from learners.certificates import certificate_holder_erased, certificate_status
from learners.errors import LearningError, NotEnrolled
from learners.models import Certificate, Enrollment

router = Router()


class LessonUnavailable(LearningError):
    """The lesson was unpublished, made private or deleted since the learner opened it (a
    completion queued offline may arrive long after)."""

    status = 404


class EnrollmentOut(Schema):
    id: int
    course_id: int
    course_title: str
    status: str
    progress_percent: int
    next_lesson_url: str | None
    created_at: datetime
    completed_at: datetime | None


class CompletionIn(Schema):
    event_id: uuid.UUID | None = None
    completed_at: datetime | None = None


class CompletionOut(Schema):
    lesson_id: int
    completed_at: datetime
    course_progress_percent: int
    course_completed: bool
    certificate_code: str | None


class CertificateOut(Schema):
    code: str
    serial: str | None
    course: str
    issued_at: datetime
    pdf_url: str
    verify_url: str


class VerificationOut(Schema):
    status: str = Field(description="valid, expired or revoked")
    holder_name: str = Field(description="Empty when the holder deleted their account")
    holder_erased: bool = Field(
        description="The holder deleted their account; the certificate stays a valid record"
    )
    course_title: str
    jp: Decimal
    pass_band: str = Field(description="The post-test's band printed on it; empty when none")
    issued_at: datetime
    issuer: str


def _enrollment_out(request, enrollment: Enrollment, progress, next_lesson=None) -> dict:
    next_lesson = next_lesson or (progress.next_lesson if progress else None)
    return {
        "id": enrollment.pk,
        "course_id": enrollment.course_id,
        "course_title": enrollment.course.title,
        "status": enrollment.status,
        "progress_percent": progress.percent if progress else 0,
        "next_lesson_url": next_lesson.get_url(request) if next_lesson else None,
        "created_at": enrollment.created_at,
        "completed_at": enrollment.completed_at,
    }


@router.post(
    "/courses/{course_id}/enrollment",
    response={
        200: EnrollmentOut,
        201: EnrollmentOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **NOT_SIGNED_IN,
        **INVALID_INPUT,
    },
    summary="Enroll in a course",
)
def enroll(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    enrollment, created = services.enrollment_create(user=request.user, course=course)
    progress = selectors.enrollments_progress([enrollment])[enrollment.pk]
    return Status(201 if created else 200, _enrollment_out(request, enrollment, progress))


@router.get(
    "/me/enrollments",
    response={200: list[EnrollmentOut], **NOT_SIGNED_IN},
    summary="My enrollments",
)
def my_enrollments(request):
    enrollments = list(
        Enrollment.objects.filter(user=request.user)
        .select_related("course")
        .order_by("-created_at")
    )
    # Percentages from the stored counts (`lesson_complete` keeps them), the next lessons chosen
    # by the database: nothing here reads a course's lessons, however long the courses (a
    # learner in the middle of a 1,000-lesson course made this list read all of them).
    progress = selectors.enrollments_stored_progress(enrollments)
    still_open = [e for e in enrollments if e.status not in selectors.FINISHED_STATUSES]
    next_lessons = selectors.enrollments_next_lessons(still_open)
    return [
        _enrollment_out(request, e, progress.get(e.pk), next_lesson=next_lessons.get(e.pk))
        for e in enrollments
    ]


@router.post(
    "/lessons/{lesson_id}/completion",
    response={
        200: CompletionOut,
        201: CompletionOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        **NOT_SIGNED_IN,
        **INVALID_INPUT,
    },
    summary="Complete a lesson (idempotent; event_id makes retries safe)",
)
def complete_lesson(request, lesson_id: int, payload: CompletionIn):
    # A completion queued on a device is sent when the device is next online: the refusals
    # say why, in the learner's language, since the page script shows them as they are. A
    # resend of one that already counted is answered as such, whatever changed since.
    replayed = (
        progress.completion_replayed(
            user=request.user, lesson_id=lesson_id, event_id=payload.event_id
        )
        if payload.event_id is not None
        else None
    )
    if replayed is not None:
        return Status(200, _completion_out(lesson_id, replayed))
    lesson = LessonPage.objects.live().public().filter(pk=lesson_id).first()
    if lesson is None:
        raise LessonUnavailable(
            _(
                "This lesson is no longer published, so it cannot be marked as done. "
                "Your other progress is kept."
            ),
            code="lesson_unavailable",
        )
    completed_at = payload.completed_at
    if completed_at is not None and timezone.is_naive(completed_at):
        completed_at = timezone.make_aware(completed_at)
    try:
        result = progress.lesson_complete(
            user=request.user,
            lesson=lesson,
            event_id=payload.event_id,
            completed_at=completed_at,
            source="api",
        )
    except NotEnrolled as refusal:
        if refusal.code == "not_enrolled":
            raise _not_enrolled(request.user, lesson) from refusal
        raise
    return Status(201 if result.created else 200, _completion_out(lesson.pk, result))


def _completion_out(lesson_id: int, result: progress.CompletionResult) -> dict:
    return {
        "lesson_id": lesson_id,
        "completed_at": result.completion.completed_at,
        "course_progress_percent": result.course_progress_percent,
        "course_completed": result.course_completed,
        "certificate_code": result.certificate.code if result.certificate else None,
    }


def _not_enrolled(user, lesson) -> NotEnrolled:
    """Why a learner without an enrollment in which lessons count cannot complete one: the
    enrollment was withdrawn, still awaits approval, or there is none."""
    course = CoursePage.objects.ancestor_of(lesson).only("id").first()
    latest = (
        Enrollment.objects.filter(user=user, course=course).order_by("-created_at").first()
        if course
        else None
    )
    status = latest.status if latest else None
    if status == Enrollment.Status.WITHDRAWN:
        message = _(
            "Your enrollment in this course was withdrawn, so its lessons can no longer be "
            "marked as done."
        )
    elif status == Enrollment.Status.PENDING:
        message = _(
            "Your enrollment in this course is awaiting approval; lessons can be marked as "
            "done once it is approved."
        )
    else:
        message = _("Enroll in this course before completing its lessons.")
    return NotEnrolled(message, code="not_enrolled")


@router.get(
    "/me/certificates",
    response={200: list[CertificateOut], **NOT_SIGNED_IN},
    summary="My certificates",
)
def my_certificates(request):
    certificates = Certificate.objects.filter(enrollment__user=request.user).order_by("-issued_at")
    return [
        {
            "code": certificate.code,
            "serial": certificate.serial,
            "course": certificate.course_title,
            "issued_at": certificate.issued_at,
            "pdf_url": request.build_absolute_uri(
                reverse("learners:certificate_pdf", args=[certificate.code])
            ),
            "verify_url": request.build_absolute_uri(
                reverse("learners:certificate_verify", args=[certificate.code])
            ),
        }
        for certificate in certificates
    ]


@router.get(
    "/certificates/{code}",
    # 400: a code with control characters (refused before the view, as every address is)
    response={200: VerificationOut, 400: ErrorOut, 404: ErrorOut},
    auth=None,
    summary="Verify a certificate (public)",
)
def verify_certificate(request, code: str):
    certificate = (
        Certificate.objects.filter(code=code)
        .annotate(holder_erased=certificate_holder_erased())
        .first()
    )
    if certificate is None:
        return Status(404, {"code": "not_found", "detail": _("No certificate has this code.")})
    return {
        "status": certificate_status(certificate).value,
        "holder_name": "" if certificate.holder_erased else certificate.holder_name,
        "holder_erased": certificate.holder_erased,
        "course_title": certificate.course_title,
        "jp": certificate.jp,
        "pass_band": certificate.pass_band,
        "issued_at": certificate.issued_at,
        "issuer": certificate.provider_name,
    }

"""Following a learning path, leaving it, and completing it: the path certificate is issued once
every required step is done (`paths.selectors` says what "done" is).

Completion is checked when a learner starts following (what they did before counts), when one
of their courses is completed and when one of their development records is verified
(`paths.signal_handlers`), inside the transaction that made the change.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.models import User
from learners.selectors import platform_date
from paths.models import LearningPathPage, PathCertificate, PathEnrollment
from paths.selectors import PathProgress, paths_progress

# Path certificates are numbered apart from course certificates (their own row ids).
PATH_CERTIFICATE_SERIAL_PATTERN = "LTR-JB/{year}/{number:06d}"


@transaction.atomic
def path_follow(*, user: User, path: LearningPathPage) -> PathEnrollment:
    """Start following a published path; following it again changes nothing."""
    if not path.live:
        raise ValidationError(_("This learning path is not published."), code="not_live")
    enrollment = PathEnrollment.objects.filter(user=user, path=path).first()
    if enrollment is not None:
        return enrollment
    try:
        with transaction.atomic():
            enrollment = PathEnrollment.objects.create(user=user, path=path)
    except IntegrityError:
        # The one-enrollment constraint: a second request (double click) was first.
        return PathEnrollment.objects.get(user=user, path=path)
    # Steps done before following count: the path may be complete at once.
    path_completion_check(user=user, path_ids=[path.pk])
    enrollment.refresh_from_db()
    return enrollment


@transaction.atomic
def path_leave(*, user: User, path: LearningPathPage) -> None:
    """Stop following a path. A completed path stays: its certificate is a record."""
    enrollment = PathEnrollment.objects.select_for_update().filter(user=user, path=path).first()
    if enrollment is None:
        return
    if enrollment.completed_at is not None:
        raise ValidationError(
            _("You completed this path: it stays in your learning record."), code="completed"
        )
    enrollment.delete()


def path_completion_check(*, user: User, path_ids: list[int] | None = None) -> list[PathEnrollment]:
    """Complete every path `user` follows (or those of `path_ids`) whose required steps are all
    done, issuing their certificates; returns the enrollments completed now.

    Idempotent and safe under concurrent calls: the open enrollments are locked, and a completed
    one is never looked at again. One query when the user follows no open path.
    """
    with transaction.atomic():
        open_enrollments = PathEnrollment.objects.select_for_update(of=("self",)).filter(
            user=user, completed_at__isnull=True
        )
        if path_ids is not None:
            open_enrollments = open_enrollments.filter(path_id__in=path_ids)
        enrollments = list(open_enrollments.select_related("path", "path__provider"))
        if not enrollments:
            return []
        progress = paths_progress(user=user, path_ids=[e.path_id for e in enrollments])
        completed = []
        now = timezone.now()
        for enrollment in enrollments:
            if not progress[enrollment.path_id].complete:
                continue
            enrollment.completed_at = now
            enrollment.save(update_fields=["completed_at"])
            if enrollment.path.certificate_enabled:
                path_certificate_issue(enrollment=enrollment, progress=progress[enrollment.path_id])
            completed.append(enrollment)
        return completed


def _competencies(path: LearningPathPage) -> list[dict]:
    if not path.target_competency_id:
        return []
    competency = path.target_competency
    return [{"code": competency.code, "name": competency.name, "level": path.target_level}]


def path_certificate_issue(
    *, enrollment: PathEnrollment, progress: PathProgress
) -> PathCertificate:
    """Issue the one certificate of a completed path enrollment, its fields frozen now."""
    existing = PathCertificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    user, path = enrollment.user, enrollment.path
    issued_at = enrollment.completed_at or timezone.now()
    try:
        with transaction.atomic():
            certificate = PathCertificate.objects.create(
                enrollment=enrollment,
                issued_at=issued_at,
                holder_name=user.full_name,
                holder_nip=user.nip or "",
                holder_agency=user.organization.name if user.organization_id else "",
                holder_position=user.position.name if user.position_id else "",
                holder_rank_grade=user.rank_grade,
                path_page_id=path.pk,
                path_title=path.title,
                jp=progress.jp,
                competencies=_competencies(path),
                steps=[
                    {
                        "title": (
                            state.step.course.title
                            if state.step.course_id
                            else state.step.development_form.name
                        ),
                        "kind": "course" if state.step.course_id else "activity",
                        "required": state.step.required,
                    }
                    for state in progress.steps
                    if state.done
                ],
                provider_name=path.provider.name,
                started_on=platform_date(enrollment.started_at),
                completed_on=platform_date(issued_at),
                signatory_name=path.signatory_name,
                signatory_nip=path.signatory_nip,
                signatory_title=path.signatory_title,
            )
    except IntegrityError:
        return PathCertificate.objects.get(enrollment=enrollment)
    certificate.serial = PATH_CERTIFICATE_SERIAL_PATTERN.format(
        year=platform_date(issued_at).year, number=certificate.pk
    )
    certificate.save(update_fields=["serial"])
    from paths.tasks import path_certificate_issued_notify, path_certificate_pdf_generate

    transaction.on_commit(
        lambda: path_certificate_pdf_generate.enqueue(certificate_id=certificate.pk)
    )
    transaction.on_commit(
        lambda: path_certificate_issued_notify.enqueue(certificate_id=certificate.pk)
    )
    return certificate

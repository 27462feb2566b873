"""Issuing and revoking certificates (what a certificate is worth and its PDF are in
`learners.certificates`).

Kept apart from `learners.certificates` because issuing queues `learners.tasks`, which itself
stores the PDF through `learners.certificates`.
"""

import calendar
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from courses.models import CoursePage
from learners.errors import EnrollmentConflict, LearningError
from learners.ledger import learning_record_create
from learners.models import Certificate, Enrollment, LearningRecord, User
from learners.selectors import platform_date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _in_default_language(label) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(label())


def certificate_issue(*, enrollment: Enrollment, course: CoursePage) -> Certificate:
    """Issue the one certificate of a completed enrollment, its fields frozen now.

    It is dated (and its serial numbered in the year of) the learner's completion, which
    may precede the request by hours when a device synced a course finished offline: a
    course finished on 31 December is a certificate of that year, as its JP are.
    """
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    user = enrollment.user
    issued_at = enrollment.completed_at or timezone.now()
    completed_on = platform_date(issued_at)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                enrollment=enrollment,
                issued_at=issued_at,
                valid_until=(
                    add_months(completed_on, course.certificate_valid_months)
                    if course.certificate_valid_months
                    else None
                ),
                holder_name=user.full_name,
                holder_nip=user.nip or "",
                holder_agency=user.organization.name if user.organization_id else "",
                holder_position=user.position.name if user.position_id else "",
                holder_rank_grade=user.rank_grade,
                course_page_id=course.pk,
                course_title=course.title,
                jp=course.jp,
                competencies=[
                    {"code": c.competency.code, "name": c.competency.name, "level": c.target_level}
                    for c in course.course_competencies.select_related("competency")
                ],
                provider_name=course.provider.name,
                final_score=enrollment.final_score,
                pass_band=enrollment.pass_band,
                # Certificates are Indonesian documents, whatever language the learner browses in.
                learning_mode=_in_default_language(course.get_learning_mode_display),
                started_on=platform_date(enrollment.started_at or enrollment.created_at),
                completed_on=completed_on,
                signatory_name=course.signatory_name,
                signatory_nip=course.signatory_nip,
                signatory_title=course.signatory_title,
            )
    except IntegrityError:
        # The one-certificate-per-enrollment constraint: another request issued it first.
        return Certificate.objects.get(enrollment=enrollment)
    # Serials follow the certificate's own row id, so simultaneous issues never collide.
    certificate.serial = settings.LENTERA_CERTIFICATE_SERIAL_PATTERN.format(
        year=platform_date(issued_at).year, number=certificate.pk
    )
    certificate.save(update_fields=["serial"])
    learning_record_create(
        actor=user,
        verb=LearningRecord.Verb.CERTIFICATE_ISSUED,
        obj=certificate,
        result={"serial": certificate.serial, "course_id": course.pk},
    )
    from learners.tasks import certificate_issued_notify, certificate_pdf_generate

    transaction.on_commit(lambda: certificate_pdf_generate.enqueue(certificate_id=certificate.pk))
    transaction.on_commit(lambda: certificate_issued_notify.enqueue(certificate_id=certificate.pk))
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, revoked_by: User, reason: str) -> Certificate:
    """Revoke a certificate, recording who did it, when and why."""
    reason = reason.strip()
    if not reason:
        raise LearningError(_("Give a reason for revoking the certificate."), code="reason")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise EnrollmentConflict(_("This certificate is already revoked."), code="revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = revoked_by
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    learning_record_create(
        actor=revoked_by,
        learner=certificate.enrollment.user,
        verb=LearningRecord.Verb.CERTIFICATE_REVOKED,
        obj=certificate,
        result={"reason": reason},
    )
    audit_record(
        revoked_by,
        Action.CERTIFICATE_REVOKED,
        organization=certificate.enrollment.user.organization_id,
        subject=certificate.enrollment.user,
        target=certificate.serial or certificate.code,
        detail={"course": certificate.course_title},
    )
    return certificate

"""The learner's journey as services: enroll, be decided on, leave, and renew.

The HTML views, the API and the admin all go through these functions, so each rule is written
once. Writes are keyword-only, typed and atomic; invariants (one open enrollment, one completion
per lesson, one certificate per enrollment) are database constraints, and these services turn
the rare race that hits one into the answer the caller expected. Their refusals are in
`learners.errors` and the learning record they write in `learners.ledger`; progress and
completion are `learners.progress`, certificates `learners.certificate_services`.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from courses.choices import EnrollmentPolicy
from courses.models import CoursePage
from learners.errors import EnrollmentConflict, EnrollmentRefused
from learners.ledger import learning_record_create
from learners.models import Enrollment, LearningRecord, LessonCompletion, User
from learners.permissions import can_decide_enrollment
from learners.progress import recount_progress
from learners.selectors import (
    course_required_lesson_count,
    missing_prerequisites,
)


def _latest_closed_enrollment(*, user: User, course: CoursePage) -> Enrollment | None:
    return (
        Enrollment.objects.filter(user=user, course=course, status=Enrollment.Status.COMPLETED)
        .select_related("certificate")
        .order_by("-completed_at")
        .first()
    )


def _due_for_recertification(enrollment: Enrollment) -> bool:
    certificate = getattr(enrollment, "certificate", None)
    return bool(
        certificate and certificate.valid_until and certificate.valid_until < timezone.localdate()
    )


@transaction.atomic
def enrollment_create(
    *,
    user: User,
    course: CoursePage,
    enrolled_by: User | None = None,
    cohort_request: bool = False,
) -> tuple[Enrollment, bool]:
    """Enroll `user` in `course` following its policy; returns (enrollment, created).

    Enrolling twice is harmless: an open enrollment, or a completion that is not yet due for
    recertification, is returned as it is.

    `enrolled_by`: a trainer enrolls someone in a cohort they run; the course's policy and
    prerequisites are the trainer's call, and the enrollment is active at once.
    `cohort_request`: the learner asks to join a cohort; cohort-only courses accept it as a
    request for the cohort's trainers to decide.
    """
    existing = Enrollment.objects.filter(
        user=user, course=course, status__in=Enrollment.OPEN_STATUSES
    ).first()
    if existing:
        return existing, False
    completed = _latest_closed_enrollment(user=user, course=course)
    if completed is not None and not _due_for_recertification(completed):
        return completed, False

    if not course.live:
        raise EnrollmentRefused(_("This course is not open for enrollment."), code="not_live")
    if enrolled_by is not None:
        return _enrollment_open(
            user=user, course=course, actor=enrolled_by, status=Enrollment.Status.ACTIVE
        )
    if course.enrollment_policy == EnrollmentPolicy.COHORT and not cohort_request:
        raise EnrollmentRefused(
            _(
                "This course runs in cohorts only: ask your trainer or your agency's HR to "
                "enroll you in a cohort."
            ),
            code="cohort_only",
        )
    missing = [
        prerequisite.title for prerequisite in missing_prerequisites(user=user, course=course)
    ]
    if missing:
        raise EnrollmentRefused(
            _("Complete the prerequisite courses first: %(courses)s.")
            % {"courses": ", ".join(missing)},
            code="prerequisites",
        )

    approval = course.enrollment_policy in (EnrollmentPolicy.APPROVAL, EnrollmentPolicy.COHORT)
    return _enrollment_open(
        user=user,
        course=course,
        actor=user,
        status=Enrollment.Status.PENDING if approval else Enrollment.Status.ACTIVE,
    )


def _enrollment_open(
    *, user: User, course: CoursePage, actor: User, status: str
) -> tuple[Enrollment, bool]:
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user,
                course=course,
                status=status,
                required_total=course_required_lesson_count(course),
                started_at=timezone.now() if status == Enrollment.Status.ACTIVE else None,
            )
    except IntegrityError:
        # A concurrent request enrolled first: that enrollment is the answer.
        return Enrollment.objects.get(
            user=user, course=course, status__in=Enrollment.OPEN_STATUSES
        ), False
    _progress_carry_over(enrollment)
    learning_record_create(
        actor=actor,
        learner=user,
        verb=(
            LearningRecord.Verb.ENROLLMENT_REQUESTED
            if status == Enrollment.Status.PENDING
            else LearningRecord.Verb.ENROLLED
        ),
        obj=course,
        result={"enrollment_id": enrollment.pk, "status": enrollment.status},
    )
    return enrollment, True


def _progress_carry_over(enrollment: Enrollment) -> None:
    """A learner who left a course and comes back resumes where they were.

    The withdrawn enrollment keeps its own records (history); its completions are copied.
    A recertification (after a completed enrollment) starts afresh.
    """
    previous = (
        Enrollment.objects.filter(
            user=enrollment.user, course=enrollment.course, status=Enrollment.Status.WITHDRAWN
        )
        .exclude(pk=enrollment.pk)
        .order_by("-created_at")
        .first()
    )
    if previous is None:
        return
    LessonCompletion.objects.bulk_create(
        LessonCompletion(
            enrollment=enrollment,
            lesson_id=lesson_id,
            completed_at=completed_at,
            source=source,
        )
        for lesson_id, completed_at, source in previous.completions.values_list(
            "lesson_id", "completed_at", "source"
        )
    )
    recount_progress(Enrollment.objects.filter(pk=enrollment.pk))


@transaction.atomic
def enrollment_decide(
    *, enrollment: Enrollment, decided_by: User, approve: bool, note: str = ""
) -> Enrollment:
    """Approve or reject a pending enrollment request (trainers and organization admins).

    Whoever calls it, the decider must hold the right (`learners.permissions`), and nobody
    decides their own request.
    """
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.PENDING:
        raise EnrollmentConflict(
            _("This request has already been decided."), code="already_decided"
        )
    if enrollment.user_id == decided_by.pk:
        raise EnrollmentRefused(_("You cannot decide your own request."), code="own_request")
    if not can_decide_enrollment(decided_by, enrollment):
        raise EnrollmentRefused(
            _("Only the course's trainers or the learner's organization admins may decide."),
            code="not_decider",
        )
    now = timezone.now()
    enrollment.status = Enrollment.Status.ACTIVE if approve else Enrollment.Status.REJECTED
    enrollment.started_at = now if approve else None
    enrollment.ended_at = None if approve else now
    enrollment.decided_by = decided_by
    enrollment.decision_note = note
    enrollment.full_clean()
    enrollment.save()
    learning_record_create(
        actor=decided_by,
        learner=enrollment.user,
        verb=(
            LearningRecord.Verb.ENROLLMENT_APPROVED
            if approve
            else LearningRecord.Verb.ENROLLMENT_REJECTED
        ),
        obj=enrollment.course,
        result={"enrollment_id": enrollment.pk, "note": note},
    )
    audit_record(
        decided_by,
        Action.ENROLLMENT_DECIDED,
        organization=enrollment.user.organization_id,
        subject=enrollment.user,
        target=enrollment.course.title,
        detail={"enrollment_id": enrollment.pk, "approved": approve},
    )
    from learners.tasks import enrollment_decided_notify

    transaction.on_commit(lambda: enrollment_decided_notify.enqueue(enrollment_id=enrollment.pk))
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, user: User) -> Enrollment:
    """Leave a course. The enrollment and its progress stay in the learner's history."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if not enrollment.is_open:
        raise EnrollmentConflict(_("This enrollment is not active."), code="not_open")
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.ended_at = timezone.now()
    enrollment.save(update_fields=["status", "ended_at"])
    learning_record_create(
        actor=user,
        learner=enrollment.user,
        verb=LearningRecord.Verb.WITHDREW,
        obj=enrollment.course,
        result={"enrollment_id": enrollment.pk},
    )
    return enrollment


def enrollments_expire(*, today: date | None = None) -> int:
    """Mark completed enrollments whose certificate validity has passed as due for renewal."""
    today = today or timezone.localdate()
    return Enrollment.objects.filter(
        status=Enrollment.Status.COMPLETED, certificate__valid_until__lt=today
    ).update(status=Enrollment.Status.EXPIRED)

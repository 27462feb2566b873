"""The learner's journey as services: enroll, progress, complete.

The HTML views, the API and the admin all go through these functions, so each rule is written
once. Writes are keyword-only, typed and atomic; invariants (one open enrollment, one completion
per lesson, one certificate per enrollment) are database constraints, and these services turn
the rare race that hits one into the answer the caller expected. Their refusals are in
`learners.errors`, the learning record they write in `learners.ledger`, and the certificate a
completion issues in `learners.certificate_services`.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from courses.choices import EnrollmentPolicy
from courses.models import CoursePage, LessonPage
from learners.certificate_services import certificate_issue
from learners.errors import EnrollmentConflict, EnrollmentRefused, InvalidCompletion, NotEnrolled
from learners.ledger import learning_record_create
from learners.models import Certificate, Enrollment, LearningRecord, LessonCompletion, User
from learners.permissions import can_decide_enrollment
from learners.selectors import (
    course_required_lesson_ids,
    enrollment_completed_lesson_ids,
    learning_enrollments,
    missing_prerequisites,
    progress_percent,
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


@dataclass(frozen=True)
class CompletionResult:
    """What a lesson completion changed, as the views and the API report it."""

    completion: LessonCompletion
    created: bool
    enrollment: Enrollment
    course_progress_percent: int
    course_completed: bool
    certificate: Certificate | None


# A device's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)


def _course_of(lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.ancestor_of(lesson).defer_streamfields().get()


def lesson_complete(
    *,
    user: User,
    lesson: LessonPage,
    event_id: uuid.UUID | None = None,
    completed_at: datetime | None = None,
    source: str = LessonCompletion.Source.WEB,
) -> CompletionResult:
    """Mark a lesson done for `user`; idempotent, and safe under concurrent requests.

    `event_id` lets an offline client retry safely; `completed_at` is when the device recorded
    it (never in the future, never before the enrollment began).
    """
    if not lesson.live:
        raise NotEnrolled(_("This lesson is not published."), code="not_live")
    # Some lessons (quizzes) are completed only by passing them, never by a "done" button.
    if source != LessonCompletion.Source.QUIZ and not getattr(
        lesson.specific_class, "completed_by_learner", True
    ):
        raise InvalidCompletion(
            _("This lesson is completed by passing its quiz."), code="quiz_required"
        )
    course = _course_of(lesson)
    with transaction.atomic():
        # Locking the enrollment serializes completions of one learner in one course, so the
        # completion check below always sees the other lessons' completions.
        enrollment = learning_enrollments(user=user, course=course).select_for_update().first()
        if enrollment is None:
            raise NotEnrolled(
                _("Enroll in this course before completing its lessons."), code="not_enrolled"
            )

        if event_id is not None:
            replay = LessonCompletion.objects.filter(event_id=event_id).first()
            if replay is not None:
                if replay.enrollment_id != enrollment.pk or replay.lesson_id != lesson.pk:
                    raise InvalidCompletion(
                        _("This event id was already used for another lesson."),
                        code="event_id_reused",
                    )
                return _result(enrollment, course, replay, created=False)

        now = timezone.now()
        if completed_at is not None:
            if completed_at > now + CLOCK_SKEW:
                raise InvalidCompletion(
                    _("The completion time cannot be in the future."), code="completed_at_future"
                )
            if enrollment.started_at and completed_at < enrollment.started_at:
                raise InvalidCompletion(
                    _("The completion time cannot be before the enrollment began."),
                    code="completed_at_before_enrollment",
                )

        completion = LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).first()
        created = completion is None
        if created:
            completion = LessonCompletion.objects.create(
                enrollment=enrollment,
                lesson=lesson,
                completed_at=min(completed_at or now, now),
                event_id=event_id,
                source=source,
            )
            learning_record_create(
                actor=user,
                verb=LearningRecord.Verb.LESSON_COMPLETED,
                obj=lesson,
                result={"enrollment_id": enrollment.pk, "source": source},
            )
            if enrollment.status == Enrollment.Status.ACTIVE and course_completion_rule_holds(
                enrollment=enrollment, course=course
            ):
                course_complete(
                    enrollment=enrollment,
                    course=course,
                    completed_at=_completion_rule_met_at(enrollment=enrollment, course=course),
                )
        return _result(enrollment, course, completion, created=created)


def _result(enrollment, course, completion, *, created: bool) -> CompletionResult:
    required = course_required_lesson_ids(course)
    done = enrollment_completed_lesson_ids(enrollment) & required
    percent = progress_percent(status=enrollment.status, required=len(required), done=len(done))
    completed = enrollment.status == Enrollment.Status.COMPLETED
    certificate = Certificate.objects.filter(enrollment=enrollment).first() if completed else None
    return CompletionResult(
        completion=completion,
        created=created,
        enrollment=enrollment,
        course_progress_percent=percent,
        course_completed=completed,
        certificate=certificate,
    )


def course_completion_rule_holds(*, enrollment: Enrollment, course: CoursePage) -> bool:
    """All required, published lessons of the course are completed."""
    required = course_required_lesson_ids(course)
    return bool(required) and required <= enrollment_completed_lesson_ids(enrollment)


def _completion_rule_met_at(*, enrollment: Enrollment, course: CoursePage) -> datetime:
    """When the completion rule first held, in the learner's time: the latest completion of
    a required lesson. An offline device syncs later, and not always in order, so the time of
    the request would put a course finished on 31 December in the next year's JP."""
    return LessonCompletion.objects.filter(
        enrollment=enrollment, lesson_id__in=course_required_lesson_ids(course)
    ).aggregate(moment=Max("completed_at"))["moment"]


def course_complete(
    *, enrollment: Enrollment, course: CoursePage, completed_at: datetime
) -> Enrollment:
    """Close an enrollment as completed, credit its JP and issue the certificate if any.

    `completed_at` is when the learner finished, not when the server heard of it: the JP
    ledger, the certificate, the SIASN export and the compliance report all count that year.
    Call inside a transaction holding the enrollment's row lock (see lesson_complete).
    """
    enrollment.status = Enrollment.Status.COMPLETED
    enrollment.completed_at = completed_at
    enrollment.ended_at = completed_at
    enrollment.jp_credited = course.jp
    enrollment.save(update_fields=["status", "completed_at", "ended_at", "jp_credited"])
    learning_record_create(
        actor=enrollment.user,
        verb=LearningRecord.Verb.COURSE_COMPLETED,
        obj=course,
        result={"enrollment_id": enrollment.pk, "jp": str(course.jp)},
    )
    if course.certificate_enabled:
        certificate_issue(enrollment=enrollment, course=course)
    return enrollment


# "Last activity" is shown to the minute at best; rereading a lesson within this long does not
# write the row again (a lesson view stays a read, the common case on a busy day).
LESSON_VISIT_PRECISION = timedelta(minutes=5)


def lesson_visit_record(*, user: User, lesson: LessonPage) -> None:
    """Remember the last lesson a learner opened, for "continue learning" (one UPDATE, which
    changes no row when the same lesson was recorded moments ago)."""
    course_path = lesson.path[: -2 * LessonPage.steplen]
    now = timezone.now()
    Enrollment.objects.filter(
        Q(last_visited_at__isnull=True)
        | Q(last_visited_at__lt=now - LESSON_VISIT_PRECISION)
        | ~Q(last_lesson=lesson)
        | Q(last_lesson__isnull=True),
        user=user,
        status=Enrollment.Status.ACTIVE,
        course__path=course_path,
    ).update(last_lesson=lesson, last_visited_at=now)


def enrollments_expire(*, today: date | None = None) -> int:
    """Mark completed enrollments whose certificate validity has passed as due for renewal."""
    today = today or timezone.localdate()
    return Enrollment.objects.filter(
        status=Enrollment.Status.COMPLETED, certificate__valid_until__lt=today
    ).update(status=Enrollment.Status.EXPIRED)

"""A learner's progress in a course: lessons completed (idempotent, safe under concurrent
requests and offline replays), the course completed once its rule holds (JP credited, the
certificate issued), and the last lesson opened, for "continue learning".

Enrolling and leaving a course are `learners.services`; the certificate a completion issues is
`learners.certificate_services`.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, LessonPage
from learners.certificate_services import certificate_issue
from learners.errors import InvalidCompletion, NotEnrolled
from learners.ledger import learning_record_create
from learners.models import Certificate, Enrollment, LearningRecord, LessonCompletion, User
from learners.selectors import (
    course_required_lesson_ids,
    enrollment_completed_lesson_ids,
    learning_enrollments,
    progress_percent,
)


@dataclass(frozen=True)
class CompletionResult:
    """What a lesson completion changed, as the views and the API report it."""

    completion: LessonCompletion
    created: bool
    enrollment: Enrollment
    course_progress_percent: int
    course_completed: bool
    certificate: Certificate | None


# Sent with `enrollment` and `course` when an enrollment is completed, inside the completing
# transaction: apps above learners (paths) react without learners importing them.
course_completed = Signal()

# The sources that complete a lesson whose page says `completed_by_learner = False`.
COMPLETED_BY_ACTIVITY = frozenset(
    {
        LessonCompletion.Source.QUIZ,
        LessonCompletion.Source.PACKAGE,
        LessonCompletion.Source.ASSIGNMENT,
    }
)

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
    # Some lessons are completed only by what the learner does in them, never by a "done"
    # button: quizzes by passing them, package lessons by their package's runtime.
    if source not in COMPLETED_BY_ACTIVITY and not getattr(
        lesson.specific_class, "completed_by_learner", True
    ):
        raise InvalidCompletion(
            _(
                "This lesson is completed by its activity (passing its quiz, finishing its "
                "e-learning package or having its assignment graded as passed), not by "
                "marking it done."
            ),
            code="quiz_required",
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
            _stored_progress_update(enrollment=enrollment, course=course, completion=completion)
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


def _stored_progress_update(
    *, enrollment: Enrollment, course: CoursePage, completion: LessonCompletion
) -> None:
    """Count the enrollment's stored progress again after `completion` was added, under the
    enrollment's row lock (`lesson_complete`): counted from the rows, not incremented, so it is
    exact whatever happened before, and two concurrent completions of the same enrollment
    (serialized by the lock) end with both counted."""
    required = course_required_lesson_ids(course)
    done = enrollment_completed_lesson_ids(enrollment)
    enrollment.required_total = len(required)
    enrollment.required_done = len(done & required)
    latest = enrollment.last_completed_at
    if latest is None or completion.completed_at > latest:
        enrollment.last_completed_at = completion.completed_at
        # The last lesson and the learner's last activity are recorded here, with what they
        # did, rather than on every lesson view (a page view writes nothing); an older
        # completion synced late from a device does not move them back.
        enrollment.last_lesson_id = completion.lesson_id
    enrollment.last_visited_at = timezone.now()
    enrollment.save(
        update_fields=[
            "required_total",
            "required_done",
            "last_completed_at",
            "last_lesson",
            "last_visited_at",
        ]
    )


#: Enrollments locked and counted per transaction by `recount_progress`: a course of 50,000
#: learners is counted in short transactions, each holding few row locks.
RECOUNT_BATCH = 1000


def recount_progress(enrollments: QuerySet[Enrollment] | None = None) -> int:
    """Count the stored progress of `enrollments` (every enrollment when None) from their
    completions and their courses' live required lessons; returns the rows updated.

    Set-based: one query for their courses, then per course one for its required lessons and,
    per batch of RECOUNT_BATCH enrollments in pk order, one transaction that locks them
    (SELECT ... FOR UPDATE) and then UPDATEs them with correlated subqueries, whatever the
    number of learners.

    The lock comes first, in its own statement, because of `lesson_complete`: it holds the
    enrollment's row lock while it adds a completion. An UPDATE that met that lock would wait,
    then re-check only the locked row, and count with the snapshot it began with, which misses
    the completion committed meanwhile (one lesson short, for good). Once the rows are locked,
    the UPDATE is a new statement with a new snapshot (READ COMMITTED), which sees every
    completion committed before it, and a completion after it waits for this transaction.

    Used when a course's lessons change (`learners.signals`, once per course after the
    change commits), after completions are created in bulk (progress carried over, the scale
    generator), by `recount_progress` the command to repair, and by tests as the reference the
    stored figures must equal.
    """
    rows = Enrollment.objects.all() if enrollments is None else enrollments
    completions = LessonCompletion.objects.filter(enrollment=OuterRef("pk")).order_by()
    last_completed = Subquery(completions.order_by("-completed_at").values("completed_at")[:1])
    updated = 0
    courses = CoursePage.objects.filter(pk__in=rows.order_by().values("course_id"))
    for course in courses.only("pk", "path", "depth"):
        required = list(
            LessonPage.objects.live()
            .descendant_of(course)
            .filter(required_for_completion=True)
            .values_list("pk", flat=True)
        )
        done = (
            Coalesce(
                Subquery(
                    completions.filter(lesson_id__in=required)
                    .values("enrollment")
                    .annotate(count=Count("pk"))
                    .values("count")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            )
            if required
            else Value(0)
        )
        # Locked through a plain query on the enrollments (`rows` may join other tables).
        of_course = Enrollment.objects.filter(
            pk__in=rows.filter(course_id=course.pk).order_by().values("pk")
        )
        after = 0
        while True:
            with transaction.atomic():
                batch = list(
                    of_course.filter(pk__gt=after)
                    .order_by("pk")
                    .select_for_update()
                    .values_list("pk", flat=True)[:RECOUNT_BATCH]
                )
                if batch:
                    updated += Enrollment.objects.filter(pk__in=batch).update(
                        required_total=len(required),
                        required_done=done,
                        last_completed_at=last_completed,
                    )
            if len(batch) < RECOUNT_BATCH:
                break
            after = batch[-1]
    return updated


def course_progress_recount(course_id: int) -> int:
    """Count again the stored progress of every enrollment in a course whose set of live
    required lessons changed (a lesson published, unpublished, made optional or required,
    moved or deleted). Run by the `learners.tasks.course_progress_recount` task, queued by
    `learners.tasks.course_progress_recount_on_commit`."""
    return recount_progress(Enrollment.objects.filter(course_id=course_id))


def completion_replayed(
    *, user: User, lesson_id: int, event_id: uuid.UUID
) -> CompletionResult | None:
    """The completion a device already sent with `event_id`, if it is `user`'s for this lesson.

    A device resends when it missed the first answer (a dropped connection); by then the
    lesson may have been unpublished or the enrollment withdrawn, and the learner must hear
    that the completion counted rather than that it was refused.
    """
    replay = (
        LessonCompletion.objects.filter(
            event_id=event_id, lesson_id=lesson_id, enrollment__user=user
        )
        .select_related("enrollment")
        .first()
    )
    if replay is None:
        return None
    course = CoursePage.objects.filter(pk=replay.enrollment.course_id).defer_streamfields().get()
    return _result(replay.enrollment, course, replay, created=False)


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
    course_completed.send(sender=Enrollment, enrollment=enrollment, course=course)
    return enrollment

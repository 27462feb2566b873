"""Cohort rules: creating cohorts, their trainers, lesson due dates and reminders.

Who is in a cohort (seats, adding learners, requests to join, invitations) is
`cohorts.members`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from cohorts.models import Cohort, CohortLessonDue, CohortMembership, Reminder
from cohorts.permissions import is_cohort_trainer, trainers_eligible_for
from courses.models import CoursePage, LessonPage
from learners.errors import EnrollmentRefused, LearningError
from learners.models import Enrollment, User
from learners.permissions import is_platform_admin
from notifications.models import Notification
from notifications.services import notify_many


@transaction.atomic
def cohort_create(
    *,
    course: CoursePage,
    name: str,
    starts_on: date,
    ends_on: date,
    created_by: User,
    enrollment_deadline: date | None = None,
    capacity: int | None = None,
    trainers: Iterable[User] = (),
) -> Cohort:
    """A new cohort of `course`; its creator is one of its trainers."""
    cohort = Cohort(
        course=course,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        enrollment_deadline=enrollment_deadline,
        capacity=capacity,
        created_by=created_by,
    )
    co_trainers = {user.pk: user for user in trainers if user.pk != created_by.pk}
    _eligible_check(course, set(co_trainers))
    cohort.full_clean()
    cohort.save()
    cohort.trainers.add(created_by, *co_trainers.values())
    _trainer_changes_record(
        cohort, changed_by=created_by, added=list(co_trainers.values()), removed=[]
    )
    return cohort


class CohortTrainersInvalid(LearningError):
    """A change of a cohort's trainers the rules refuse; nothing changed."""

    status = 400


def _eligible_check(course: CoursePage, user_ids: set[int]) -> None:
    """Refuse people who may not train cohorts of `course` (see `trainers_eligible_for`)."""
    if not user_ids:
        return
    eligible = set(
        trainers_eligible_for(course).filter(pk__in=user_ids).values_list("pk", flat=True)
    )
    refused = sorted(
        User.objects.filter(pk__in=user_ids - eligible).values_list("email", flat=True)
    )
    if refused:
        raise CohortTrainersInvalid(
            _(
                "%(emails)s cannot train this cohort: only trainers of the course's provider, "
                "or people its organization admin allows, can."
            )
            % {"emails": ", ".join(refused)},
            code="not_eligible",
        )


def _trainer_changes_record(
    cohort: Cohort, *, changed_by: User, added: list[User], removed: list[User]
) -> None:
    """One audit event per trainer added or removed, on the course provider's log."""
    for change, people in (("added", added), ("removed", removed)):
        for person in people:
            audit_record(
                changed_by,
                Action.COHORT_TRAINERS_CHANGED,
                organization=cohort.course.provider_id,
                subject=person,
                target=cohort.name,
                detail={"change": change, "cohort_id": cohort.pk},
            )


def cohort_trainer_require(cohort: Cohort, user: User | None) -> None:
    """Refuse anyone but the cohort's trainers (and platform administrators), whoever calls."""
    if user is None or not is_cohort_trainer(user, cohort):
        raise EnrollmentRefused(
            _("Only the trainers of this cohort may do this."), code="not_trainer"
        )


@transaction.atomic
def cohort_trainers_set(*, cohort: Cohort, trainers: Iterable[User], changed_by: User) -> Cohort:
    """Set a cohort's trainers, as one of them (or a platform administrator).

    New trainers must be eligible (`trainers_eligible_for`); the cohort keeps at least one
    trainer; only its creator (or a platform administrator) removes the creator, so a co-trainer
    can never lock them out. Every addition and removal is on the audit log.
    """
    cohort = cohort_locked(cohort)
    cohort_trainer_require(cohort, changed_by)
    wanted = {user.pk: user for user in trainers}
    if not wanted:
        raise CohortTrainersInvalid(_("A cohort keeps at least one trainer."), code="no_trainer")
    current = {user.pk: user for user in cohort.trainers.all()}
    added = [user for pk, user in wanted.items() if pk not in current]
    removed = [user for pk, user in current.items() if pk not in wanted]
    _eligible_check(cohort.course, {user.pk for user in added})
    if (
        cohort.created_by_id in {user.pk for user in removed}
        and changed_by.pk != cohort.created_by_id
        and not is_platform_admin(changed_by)
    ):
        raise CohortTrainersInvalid(
            _("Only the cohort's creator can remove themselves from its trainers."),
            code="creator_removed",
        )
    cohort.trainers.add(*added)
    cohort.trainers.remove(*removed)
    _trainer_changes_record(cohort, changed_by=changed_by, added=added, removed=removed)
    return cohort


def cohort_view_record(*, cohort: Cohort, viewer: User, via: str = "web", **detail) -> None:
    """Record that `viewer` opened a cohort's learners (its page or the API), on the course
    provider's audit log."""
    audit_record(
        viewer,
        Action.REPORT_VIEWED,
        organization=cohort.course.provider_id,
        target=cohort.name,
        detail={"report": "cohort_progress", "via": via, "cohort_id": cohort.pk, **detail},
    )


@transaction.atomic
def cohort_schedule_update(
    *, cohort: Cohort, dues: dict[int, date], changed_by: User | None
) -> Cohort:
    """Set a cohort's lesson due dates ({lesson id: date}; others cleared), as one of its
    trainers (None: the demo and commands acting as the platform)."""
    if changed_by is not None:
        cohort_trainer_require(cohort, changed_by)
    lesson_ids = set(
        LessonPage.objects.live().descendant_of(cohort.course).values_list("pk", flat=True)
    )
    cohort.lesson_dues.exclude(lesson_id__in=dues).delete()
    for lesson_id, due_on in dues.items():
        if lesson_id in lesson_ids:
            CohortLessonDue.objects.update_or_create(
                cohort=cohort, lesson_id=lesson_id, defaults={"due_on": due_on}
            )
    return cohort


def cohort_locked(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)


@dataclass
class RemindersQueued:
    queued: int
    already_reminded_today: int


@transaction.atomic
def reminders_send(*, cohort: Cohort, learner_ids: Iterable[int], sent_by: User) -> RemindersQueued:
    """Queue one reminder e-mail per learner, at most one per learner, cohort and day.

    The limit is the database's unique constraint: rows that would break it are not inserted,
    whoever sends them and however many requests arrive at once. The cohort's trainers only.
    """
    cohort_trainer_require(cohort, sent_by)
    members = set(
        CohortMembership.objects.filter(
            cohort=cohort,
            enrollment__user_id__in=list(learner_ids),
            enrollment__status=Enrollment.Status.ACTIVE,
        ).values_list("enrollment__user_id", flat=True)
    )
    today = timezone.localdate()
    reminders = [
        Reminder(cohort=cohort, learner_id=user_id, sent_on=today, sent_by=sent_by)
        for user_id in members
    ]
    batch = reminders[0].batch if reminders else None
    for reminder in reminders:
        reminder.batch = batch
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    # Those inserted: the others were reminded today already.
    reminded = (
        list(Reminder.objects.filter(batch=batch).values_list("learner_id", flat=True))
        if batch
        else []
    )
    queued = len(reminded)
    if queued:
        notify_many(
            recipients=reminded,
            kind=Notification.Kind.REMINDER,
            actor=sent_by,
            subject=cohort.course.title,
            url=reverse("learners:my_learning"),
        )
        from cohorts.tasks import reminders_deliver

        transaction.on_commit(lambda: reminders_deliver.enqueue(batch=str(batch)))
    return RemindersQueued(queued=queued, already_reminded_today=len(members) - queued)

"""Queueing and sending xAPI statements (see xapi.models and xapi.client).

Every step is safe to run twice: a delivery row is created once per source record (a unique
constraint), its statement id is fixed, and the LRS keeps one statement per id.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from learners.errors import LearningError, NotEnrolled
from learners.models import User
from learners.selectors import learning_enrollments
from xapi.client import Result, statement_put
from xapi.models import Delivery, statement_id_for
from xapi.statements import statement_build

logger = logging.getLogger(__name__)

#: A task arriving this early for its delivery's next attempt is a duplicate: it waits its turn.
EARLY_SLACK = timedelta(seconds=5)


def xapi_enabled() -> bool:
    """Whether an LRS is configured (LENTERA_XAPI_ENDPOINT); empty turns sending off."""
    return bool(settings.LENTERA_XAPI_ENDPOINT)


class LessonNotTracked(LearningError):
    """A lesson whose reading is not recorded: gone, unpublished, or one whose activity is
    recorded instead (a quiz, a package, an assignment)."""

    status = 404


def quiz_answer_source_ids(*, attempt_id: int, question_order: list, answers: dict) -> list[str]:
    """The source ids of a submitted attempt's answers ("<attempt id>:<question block id>"): one
    per question it asked that still existed when it was submitted (those it graded, whose
    answers it kept, blank ones included: they counted as wrong), in the order asked."""
    answers = answers if isinstance(answers, dict) else {}
    return [
        f"{attempt_id}:{entry['id']}"
        for entry in question_order or []
        if isinstance(entry, dict) and entry.get("id") in answers
    ]


def lesson_experienced_record(*, user: User, lesson_id: int) -> Delivery | None:
    """Record that `user` read a plain lesson of a course they are enrolled in (active, or
    completed and reading again): the "experienced" statement owed, once per enrollment and
    lesson. The new delivery, or None when it existed already or xAPI is off.

    Called by the lesson page's script once the lesson has been visible a while, never by the
    page itself, whose GET writes nothing (issue 19). Refusals raise (`LessonNotTracked`,
    `NotEnrolled`) whether xAPI is on or off, so the answer never depends on the setting.
    """
    page = Page.objects.live().public().type(LessonPage).filter(pk=lesson_id).first()
    if page is None:
        raise LessonNotTracked(_("This lesson is not published."), code="lesson_unavailable")
    if page.specific_class is not LessonPage:
        raise LessonNotTracked(
            _(
                "Quizzes, e-learning packages and assignments are recorded by what is done in "
                "them, not by reading them."
            ),
            code="not_a_plain_lesson",
        )
    course = CoursePage.objects.ancestor_of(page).only("pk").first()
    enrollment = (
        learning_enrollments(user=user, course=course).only("pk").first() if course else None
    )
    if enrollment is None:
        raise NotEnrolled(
            _("Enroll in this course to have your reading of its lessons recorded."),
            code="not_enrolled",
        )
    if not xapi_enabled():
        return None
    source, source_id = Delivery.Source.LESSON_EXPERIENCED, f"{enrollment.pk}:{page.pk}"
    delivery, created = Delivery.objects.get_or_create(
        source=source,
        source_id=source_id,
        defaults={"statement_id": statement_id_for(source=source, source_id=source_id)},
    )
    return delivery if created else None


def retry_delay(*, attempts: int) -> timedelta:
    """The wait after `attempts` failed attempts: doubling from LENTERA_TASK_RETRY_DELAY, capped
    at LENTERA_XAPI_RETRY_MAX_DELAY (an LRS down for days is asked a few times a day)."""
    first = settings.LENTERA_TASK_RETRY_DELAY
    return timedelta(
        seconds=min(first * 2 ** max(attempts - 1, 0), settings.LENTERA_XAPI_RETRY_MAX_DELAY)
    )


def deliveries_create(*, source: str, source_ids: Iterable[str]) -> list[int]:
    """Create the missing deliveries of these records; the ids of those still pending."""
    source_ids = [str(source_id) for source_id in source_ids]
    Delivery.objects.bulk_create(
        [
            Delivery(
                source=source,
                source_id=source_id,
                statement_id=statement_id_for(source=source, source_id=source_id),
            )
            for source_id in source_ids
        ],
        ignore_conflicts=True,
    )
    return list(
        Delivery.objects.filter(
            source=source, source_id__in=source_ids, status=Delivery.Status.PENDING
        ).values_list("pk", flat=True)
    )


def delivery_send(
    *,
    delivery_id: int,
    now: datetime | None = None,
    reschedule: Callable[[Delivery], None] | None = None,
) -> Delivery | None:
    """Try to send one delivery's statement and record the outcome on it; after a failed
    attempt, `reschedule` (the task queue's, xapi.tasks) is given the delivery to try again.

    Not in a transaction: the request to the LRS holds no lock. Two runs of the same delivery
    both send (the LRS keeps one statement); only the one that records its attempt first
    schedules the next (the update is conditional on the attempts it read).
    """
    now = now or timezone.now()
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return delivery
    if delivery.next_attempt_at and delivery.next_attempt_at > now + EARLY_SLACK:
        return delivery
    seen = delivery.attempts
    changes: dict = {"attempts": seen + 1}
    try:
        statement = statement_build(delivery)
    except Exception as error:
        # A bug or a record in a state the builder did not foresee: keep it for later, say why.
        logger.exception("xAPI statement of %s could not be built", delivery)
        statement, build_error = None, f"{type(error).__name__}: {error}"
    else:
        build_error = ""
    if build_error:
        changes.update(
            next_attempt_at=now + retry_delay(attempts=seen + 1), last_error=build_error[:2000]
        )
    elif statement is None:
        changes.update(status=Delivery.Status.SKIPPED, next_attempt_at=None, last_error="")
    else:
        outcome = statement_put(statement)
        if outcome.result == Result.SENT:
            changes.update(
                status=Delivery.Status.SENT,
                sent_at=timezone.now(),
                next_attempt_at=None,
                last_error=outcome.error,
            )
        elif outcome.result == Result.REFUSED:
            changes.update(
                status=Delivery.Status.REFUSED, next_attempt_at=None, last_error=outcome.error
            )
        else:
            changes.update(
                next_attempt_at=now + retry_delay(attempts=seen + 1), last_error=outcome.error
            )
    recorded = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, attempts=seen
    ).update(**changes)
    delivery.refresh_from_db()
    if recorded and delivery.status == Delivery.Status.PENDING:
        logger.warning(
            "xAPI statement %s not sent (attempt %d): %s; next attempt at %s",
            delivery.statement_id,
            delivery.attempts,
            delivery.last_error,
            delivery.next_attempt_at.isoformat(),
        )
        if reschedule is not None:
            reschedule(delivery)
    return delivery


def deliveries_send(
    *,
    delivery_ids: Iterable[int],
    reschedule: Callable[[Delivery], None] | None = None,
) -> dict[str, int]:
    """Send several deliveries in turn; how many ended in each status."""
    counts: dict[str, int] = {}
    for pk in delivery_ids:
        delivery = delivery_send(delivery_id=pk, reschedule=reschedule)
        if delivery is not None:
            counts[delivery.status] = counts.get(delivery.status, 0) + 1
    return counts


def deliveries_overdue(*, now: datetime) -> list[int]:
    """Pending deliveries whose attempt is due and whose task went missing (or never could wait)."""
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )


#: Deliveries sent by one task of the daily job or of the backfill.
BATCH_SIZE = 200

"""Background work of xAPI: queueing and sending statements to the LRS (xapi.services)."""

import logging

from django.db import transaction
from django_tasks import task

from quizzes.models import QuizAttempt
from xapi.models import Delivery
from xapi.services import (
    BATCH_SIZE,
    deliveries_create,
    deliveries_send,
    delivery_send,
    quiz_answer_source_ids,
)

logger = logging.getLogger(__name__)


def delivery_reschedule(delivery: Delivery) -> None:
    """Queue a delivery's next attempt at its time, where the task backend can wait (the
    database queue, Redis); elsewhere the daily job picks it up once it is overdue."""
    if not delivery_send_task.get_backend().supports_defer:
        return
    delivery_send_task.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)


@task()
def delivery_send_task(*, delivery_id: int) -> str | None:
    """Send one statement; a failed attempt queues the next one itself (with `run_after`)."""
    delivery = delivery_send(delivery_id=delivery_id, reschedule=delivery_reschedule)
    return delivery.status if delivery is not None else None


@task()
def deliveries_send_task(*, delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of statements (the daily job's overdue ones, the backfill's)."""
    return deliveries_send(delivery_ids=delivery_ids, reschedule=delivery_reschedule)


def delivery_queue(*, source: str, source_id: str) -> None:
    """Record that a statement is owed for this record, and queue its sending."""
    for pk in deliveries_create(source=source, source_ids=[source_id]):
        delivery_send_task.enqueue(delivery_id=pk)


def deliveries_enqueue(delivery_ids: list[int]) -> int:
    """Queue sending these deliveries, BATCH_SIZE per task, after the current transaction."""
    batches = [
        delivery_ids[start : start + BATCH_SIZE]
        for start in range(0, len(delivery_ids), BATCH_SIZE)
    ]
    for batch in batches:
        transaction.on_commit(lambda batch=batch: deliveries_send_task.enqueue(delivery_ids=batch))
    return len(batches)


def delivery_send_after_commit(delivery_id: int) -> None:
    """Queue sending a delivery once the request's transaction has committed; a queue that is
    down is logged, never the learner's error (the daily job and the backfill catch up)."""

    def queue():
        try:
            delivery_send_task.enqueue(delivery_id=delivery_id)
        except Exception:
            logger.exception("xAPI delivery %s not queued", delivery_id)

    transaction.on_commit(queue, robust=True)


def quiz_answers_queue(*, attempt_id: int) -> int:
    """Record the "answered" statements owed for a submitted attempt, all in one insert, and
    queue them BATCH_SIZE per task (not a task per question); how many are pending."""
    attempt = (
        QuizAttempt.objects.filter(pk=attempt_id, status=QuizAttempt.Status.SUBMITTED)
        .values_list("question_order", "answers")
        .first()
    )
    if attempt is None:
        return 0
    question_order, answers = attempt
    pending = deliveries_create(
        source=Delivery.Source.QUIZ_ANSWER,
        source_ids=quiz_answer_source_ids(
            attempt_id=attempt_id, question_order=question_order, answers=answers
        ),
    )
    deliveries_enqueue(pending)
    return len(pending)

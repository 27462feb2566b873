"""Sending the history: a delivery for every record sent from before xAPI was turned on.

Lessons read ("experienced") have no history: a page view was never written down (issue 19),
so only what learners read once xAPI is on is told.
"""

from collections.abc import Callable, Iterator

from django.db.models import QuerySet

from development.models import DevelopmentForm, DevelopmentRecord
from learners.models import LearningRecord
from packages.models import PackageAttempt
from quizzes.models import QuizAttempt
from xapi.models import Delivery
from xapi.services import deliveries_create, quiz_answer_source_ids
from xapi.statements import LEARNING_RECORD_VERBS


def backfill_sources() -> dict[str, QuerySet]:
    """The records owed a statement, oldest first, by source."""
    return {
        Delivery.Source.LEARNING_RECORD: LearningRecord.objects.filter(
            verb__in=list(LEARNING_RECORD_VERBS), learner__isnull=False
        ).order_by("timestamp", "pk"),
        Delivery.Source.DEVELOPMENT_RECORD: DevelopmentRecord.objects.filter(
            status=DevelopmentRecord.Status.VERIFIED,
            form__mode=DevelopmentForm.Mode.NON_CLASSICAL,
        ).order_by("decided_at", "pk"),
        Delivery.Source.PACKAGE_ATTEMPT: PackageAttempt.objects.order_by("started_at", "pk"),
    }


def _batched(ids: Iterator[str], *, batch_size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for source_id in ids:
        batch.append(source_id)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _answer_ids(*, chunk_size: int) -> Iterator[str]:
    """The answers of every submitted attempt, oldest first, reading `chunk_size` attempts (their
    questions and answers only) at a time."""
    attempts = (
        QuizAttempt.objects.filter(status=QuizAttempt.Status.SUBMITTED)
        .order_by("submitted_at", "pk")
        .values_list("pk", "question_order", "answers")
    )
    for pk, question_order, answers in attempts.iterator(chunk_size=chunk_size):
        yield from quiz_answer_source_ids(
            attempt_id=pk, question_order=question_order, answers=answers
        )


def backfill_batches(*, batch_size: int) -> Iterator[tuple[str, list[str]]]:
    """(source, ids) in batches of at most `batch_size`, reading ids only (and, for the
    answers, their attempts' questions and answers)."""
    for source, queryset in backfill_sources().items():
        ids = (
            str(pk) for pk in queryset.values_list("pk", flat=True).iterator(chunk_size=batch_size)
        )
        for batch in _batched(ids, batch_size=batch_size):
            yield source, batch
    for batch in _batched(_answer_ids(chunk_size=batch_size), batch_size=batch_size):
        yield Delivery.Source.QUIZ_ANSWER, batch


def backfill_run(
    *,
    batch_size: int,
    handle: Callable[[list[int]], dict[str, int]],
    report: Callable[[str, int, dict[str, int]], None] | None = None,
) -> dict[str, int]:
    """Create the missing deliveries batch by batch and hand the pending ones to `handle`
    (send now, or queue). Stopped half-way, a second run goes on where the first stopped:
    delivered records are skipped and nothing is sent twice."""
    totals: dict[str, int] = {}
    for source, ids in backfill_batches(batch_size=batch_size):
        pending = deliveries_create(source=source, source_ids=ids)
        counts = handle(pending) if pending else {}
        counts["records"] = len(ids)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if report is not None:
            report(source, len(ids), counts)
    return totals

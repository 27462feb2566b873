"""Sending the history: a delivery for every record sent from before xAPI was turned on."""

from collections.abc import Callable, Iterator

from django.db.models import QuerySet

from development.models import DevelopmentForm, DevelopmentRecord
from learners.models import LearningRecord
from packages.models import PackageAttempt
from xapi.models import Delivery
from xapi.services import deliveries_create
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


def backfill_batches(*, batch_size: int) -> Iterator[tuple[str, list[str]]]:
    """(source, ids) in batches of at most `batch_size`, reading ids only."""
    for source, queryset in backfill_sources().items():
        batch: list[str] = []
        for pk in queryset.values_list("pk", flat=True).iterator(chunk_size=batch_size):
            batch.append(str(pk))
            if len(batch) == batch_size:
                yield source, batch
                batch = []
        if batch:
            yield source, batch


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

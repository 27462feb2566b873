"""Queueing and sending xAPI statements (see xapi.models and xapi.client).

Every step is safe to run twice: a delivery row is created once per source record (a unique
constraint), its statement id is fixed, and the LRS keeps one statement per id.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from xapi.client import Result, statement_put
from xapi.models import Delivery, statement_id_for
from xapi.statements import statement_build

logger = logging.getLogger(__name__)

#: A task arriving this early for its delivery's next attempt is a duplicate: it waits its turn.
EARLY_SLACK = timedelta(seconds=5)


def xapi_enabled() -> bool:
    """Whether an LRS is configured (LENTERA_XAPI_ENDPOINT); empty turns sending off."""
    return bool(settings.LENTERA_XAPI_ENDPOINT)


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

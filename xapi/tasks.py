"""Background work of xAPI: sending statements to the LRS (xapi.services)."""

from django_tasks import task

from xapi.services import deliveries_send, delivery_send


@task()
def delivery_send_task(*, delivery_id: int) -> str | None:
    """Send one statement; a failed attempt queues the next one itself (services._reschedule)."""
    delivery = delivery_send(delivery_id=delivery_id)
    return delivery.status if delivery is not None else None


@task()
def deliveries_send_task(*, delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of statements (the daily job's overdue ones, the backfill's)."""
    return deliveries_send(delivery_ids=delivery_ids)

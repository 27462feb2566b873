"""Reads of the xAPI deliveries: the admin report's counts and the errors to look at."""

from django.db.models import Count, QuerySet

from xapi.models import Delivery


def delivery_counts() -> list[dict]:
    """Deliveries by source and status (one grouped query), for the admin report."""
    return list(Delivery.objects.values("source", "status").annotate(count=Count("pk")).order_by())


def deliveries_with_errors(*, limit: int = 50) -> QuerySet[Delivery]:
    """The latest deliveries waiting or refused with an error, newest attempt first."""
    return (
        Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.REFUSED])
        .exclude(last_error="")
        .order_by("-next_attempt_at", "-pk")[:limit]
    )

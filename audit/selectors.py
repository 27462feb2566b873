"""Reads of the audit log for the organization admin's page."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEvent


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(
    *,
    organization_id: int | None,
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """An organization's audit events (every event for None), newest first, with their people
    in the same query. Dates are days in the platform's time zone, both included."""
    events = AuditEvent.objects.all()
    if organization_id is not None:
        events = events.filter(organization_id=organization_id)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(created_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(created_at__lt=_start_of(date_to + timedelta(days=1)))
    return events.select_related("actor", "subject_user").order_by("-created_at", "-pk")

"""Recording the audit log: one insert per staff action or export.

Any app may call `audit_record` (it imports nothing from Lentera's other apps). Call it in the
same transaction as the action it records, so a rolled-back action leaves no event behind.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser

from audit.models import AuditEvent

Action = AuditEvent.Action


def _organization_id(organization) -> int | None:
    if organization is None or isinstance(organization, int):
        return organization
    return organization.pk


def audit_record(
    actor,
    action: str,
    *,
    organization=None,
    subject=None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` on `subject`'s data (or on many people's: no subject).

    `organization` (an Organization or its id) is whose admins may read the event: the
    subject's organization for one person, the organization a report covers for a bulk export.
    Exactly one query.
    """
    if isinstance(actor, AnonymousUser) or (actor is not None and not actor.pk):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=(str(actor) if actor is not None else "")[:255],
        organization_id=_organization_id(organization),
        action=action,
        subject_user=subject,
        target=str(target)[:255],
        detail=detail or {},
    )


def audit_record_many(
    actor,
    action: str,
    *,
    organizations,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """Record one action once in each organization's log (an export of a cohort whose people
    come from several organizations is visible to each of their admins). Exactly one query."""
    if isinstance(actor, AnonymousUser) or (actor is not None and not actor.pk):
        actor = None
    organization_ids = dict.fromkeys(_organization_id(o) for o in organizations)
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_label=(str(actor) if actor is not None else "")[:255],
            organization_id=organization_id,
            action=action,
            target=str(target)[:255],
            detail=detail or {},
        )
        for organization_id in organization_ids
    )

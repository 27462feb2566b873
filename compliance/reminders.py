"""HR's reminders to the PNS below this year's JP target (PP 17/2020 art. 203: at least 20 JP).

Only PNS are reminded: PPPK have a cap, not a floor (`compliance.reports`). The people are those
the compliance report lists below target this year, with the report's unit and position filters.
Nobody is reminded twice within `LENTERA_COMPLIANCE_REMINDER_DAYS`, whoever in HR sends it: those
are skipped and counted. One request queues at most `REMINDER_BATCH_MAX` reminders (the lowest JP
first); HR sends again for the rest, whom the rate limit leaves out of the first batch's people.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from audit.services import Action, audit_record
from compliance import reports
from compliance.models import ComplianceReminder
from content.models import Organization
from development.ledger import current_year
from learners.models import User
from learners.permissions import is_organization_admin
from notifications.models import Notification
from notifications.services import notify_many

#: The most reminders one request queues: a mail server's daily quota is often a few thousand,
#: and HR can send again for the rest.
REMINDER_BATCH_MAX = 1000


@dataclass(frozen=True)
class ReminderPreview:
    """What a reminder request would do: how many PNS are below target, how many of them were
    reminded recently (skipped), and how many would be reminded now."""

    year: int
    below: int
    recently_reminded: int

    @property
    def eligible(self) -> int:
        return self.below - self.recently_reminded

    @property
    def to_remind(self) -> int:
        return min(self.eligible, REMINDER_BATCH_MAX)

    @property
    def left_for_later(self) -> int:
        return self.eligible - self.to_remind


@dataclass(frozen=True)
class RemindersQueued:
    queued: int
    recently_reminded: int
    left_for_later: int


def reminder_filters(filters: reports.ComplianceFilters) -> reports.ComplianceFilters:
    """The report's unit and position, this year: a reminder is about the JP still to earn."""
    return reports.ComplianceFilters(
        year=current_year(), unit=filters.unit, position=filters.position
    )


def _recent_reminder(days: int | None = None) -> Exists:
    days = settings.LENTERA_COMPLIANCE_REMINDER_DAYS if days is None else days
    since = timezone.now() - timedelta(days=days)
    return Exists(ComplianceReminder.objects.filter(person=OuterRef("pk"), created_at__gte=since))


def _below_target(*, organization: Organization, filters: reports.ComplianceFilters) -> QuerySet:
    return reports.organization_staff(
        organization=organization, kind=User.AccountKind.PNS, filters=filters
    ).filter(jp__lt=settings.LENTERA_JP_TARGET)


def reminder_preview(
    *, organization: Organization, filters: reports.ComplianceFilters
) -> ReminderPreview:
    """Counts for the confirmation screen, in one query."""
    filters = reminder_filters(filters)
    counts = (
        _below_target(organization=organization, filters=filters)
        .annotate(reminded_lately=_recent_reminder())
        .aggregate(below=Count("pk"), skipped=Count("pk", filter=Q(reminded_lately=True)))
    )
    return ReminderPreview(
        year=filters.year, below=counts["below"], recently_reminded=counts["skipped"]
    )


@transaction.atomic
def reminders_send(
    *, organization: Organization, filters: reports.ComplianceFilters, sent_by: User
) -> RemindersQueued:
    """Queue one reminder e-mail per PNS below target (the report's filters, this year) not
    reminded within `LENTERA_COMPLIANCE_REMINDER_DAYS`, lowest JP first, at most
    `REMINDER_BATCH_MAX`; record them and one audit event. The organization's HR only.

    Requests of one organization run one after the other (its row is locked), so two HR staff
    pressing the button at once do not remind anyone twice.
    """
    if not is_organization_admin(sent_by, organization.pk):
        raise PermissionDenied
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    filters = reminder_filters(filters)
    preview = reminder_preview(organization=organization, filters=filters)
    target = settings.LENTERA_JP_TARGET
    people = (
        _below_target(organization=organization, filters=filters)
        .exclude(_recent_reminder())
        .order_by("jp", "full_name", "pk")
        .values_list("pk", "jp")[:REMINDER_BATCH_MAX]
    )
    reminders = [
        ComplianceReminder(
            person_id=person_id,
            organization=organization,
            sent_by=sent_by,
            year=filters.year,
            jp=reports.jp_value(jp),
            target=target,
        )
        for person_id, jp in people
    ]
    if reminders:
        batch = reminders[0].batch
        for reminder in reminders:
            reminder.batch = batch
        ComplianceReminder.objects.bulk_create(reminders)
        notify_many(
            recipients=[reminder.person_id for reminder in reminders],
            kind=Notification.Kind.REMINDER,
            actor=sent_by,
            subject=f"JP {filters.year}",
            url=reverse("development:record_list"),
        )
        audit_record(
            sent_by,
            Action.COMPLIANCE_REMINDERS_SENT,
            organization=organization,
            target=organization.name,
            detail={
                "report": "jp_compliance",
                "year": filters.year,
                "unit": filters.unit,
                "position": filters.position,
                "reminded": len(reminders),
                "recently_reminded": preview.recently_reminded,
                "batch": str(batch),
            },
        )
        from compliance.tasks import compliance_reminders_deliver

        transaction.on_commit(lambda: compliance_reminders_deliver.enqueue(batch=str(batch)))
    return RemindersQueued(
        queued=len(reminders),
        recently_reminded=preview.recently_reminded,
        left_for_later=max(0, preview.eligible - len(reminders)),
    )


def reminders_received(person: User, *, limit: int = 20) -> list[ComplianceReminder]:
    """The latest reminders HR sent `person`, newest first, with who sent them (one query)."""
    return list(
        ComplianceReminder.objects.filter(person=person)
        .select_related("sent_by")
        .order_by("-created_at", "-pk")[:limit]
    )

"""One person seen from the compliance report: HR's drill-down, in a fixed number of queries.

Their ledger for the year (courses and development records in every status, as their own page
shows it: `development.ledger.jp_ledger`), the records waiting for verification, the active
enrollments with progress, the confirmed supervisor and HR's reminders. Only confirmed members
of the organization are found: the report counts nobody else.
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from compliance.models import ComplianceReminder
from compliance.reminders import reminders_received
from content.models import Organization
from development.ledger import JPLedger, jp_ledger
from development.models import DevelopmentRecord
from learners.models import Enrollment, MembershipStatus, User
from learners.selectors import CourseProgress, enrollments_stored_progress
from learners.supervisors import has_confirmed_supervisor


def organization_people(organization: Organization) -> QuerySet[User]:
    """The people of `organization` whose page its HR may open: its confirmed members."""
    return User.objects.filter(
        organization=organization, membership_status=MembershipStatus.CONFIRMED
    ).select_related("work_unit", "position", "supervisor")


@dataclass
class PersonOverview:
    person: User
    ledger: JPLedger
    waiting: list[DevelopmentRecord]
    active: list[CourseProgress]
    reminders: list[ComplianceReminder]

    @property
    def supervisor(self) -> User | None:
        """The confirmed direct supervisor; a link the supervisor has not confirmed is none."""
        supervisor = self.person.supervisor
        if supervisor is None or not supervisor.is_active:
            return None
        return supervisor if has_confirmed_supervisor(self.person, supervisor) else None

    @property
    def below_target(self) -> bool:
        ledger = self.ledger
        return ledger.target is not None and not ledger.is_cap and ledger.earned < ledger.target


def person_overview(*, person: User, year: int) -> PersonOverview:
    """Everything the drill-down shows of `person` for `year`: six queries, whatever the number
    of records, enrollments or reminders."""
    waiting = list(
        DevelopmentRecord.objects.filter(owner=person, status=DevelopmentRecord.Status.SUBMITTED)
        .select_related("form")
        .annotate(evidence_count=Count("evidence_files"))
        .order_by("created_at", "pk")
    )
    active = list(
        Enrollment.objects.filter(user=person, status=Enrollment.Status.ACTIVE)
        .select_related("course")
        .order_by("-created_at", "-pk")
    )
    progress = enrollments_stored_progress(active)
    return PersonOverview(
        person=person,
        ledger=jp_ledger(user=person, year=year, with_uncounted=True),
        waiting=waiting,
        active=[progress[enrollment.pk] for enrollment in active],
        reminders=reminders_received(person),
    )

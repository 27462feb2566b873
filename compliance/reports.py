"""Agency compliance with the yearly JP rule: which of an organization's staff have their JP.

PP 17/2020 art. 203: every PNS is owed at least 20 JP of competency development a year
(`LENTERA_JP_TARGET`). PPPK staff have a cap instead (`LENTERA_PPPK_JP_CAP`, 24 JP): they are
reported apart and never counted in the compliance percentage.

A person's JP in a year is what their own ledger shows (`development.ledger.jp_ledger`): the JP
credited by their enrollments that count (`learners.selectors.jp_counting_enrollments`: completed
or since expired, certificate not revoked) completed in that calendar year, in the platform's time
zone, plus the JP credited by their verified development records ending in that year
(`development.ledger.jp_in_year`, each form's yearly cap applied on verification). Staff
are the active accounts of the organization with that ASN kind whose membership the organization
has confirmed (learners.membership): people awaiting confirmation are listed apart and never
counted.

Everything is aggregated in the database: each person's JP is two correlated subqueries (on the
enrollment index by user and completion date, and the records' by owner, status and end date),
grouped per work unit with conditional counts. An organization of 50,000 staff costs the same
handful of queries as one of 10, and only the page of people shown (or the export's rows, streamed)
ever reaches Python.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.functional import cached_property

from compliance.cache import CachedRows, cached, organization_token
from content.models import Organization
from development.ledger import jp_in_year
from learners.models import MembershipStatus, Position, User, WorkUnit

# The year selector offers this year and this many before it.
YEARS_BACK = 4
# Filter value for the people who have no work unit.
NO_UNIT = "none"
# People listed per page on the report page and, by default, in the API.
PEOPLE_PER_PAGE = 50
# Work units per page of the report's table and, by default, of the API's `units`.
UNITS_PER_PAGE = 25

# Orderings of the people lists; names and units break ties, the primary key makes it total.
SORTS = {
    "jp": [F("jp").asc(), "full_name", "pk"],
    "-jp": [F("jp").desc(), "full_name", "pk"],
    "name": ["full_name", "pk"],
    "-name": [F("full_name").desc(), F("pk").desc()],
    "unit": [F("work_unit__name").asc(nulls_last=True), "full_name", "pk"],
    "-unit": [F("work_unit__name").desc(nulls_last=True), "full_name", "pk"],
    "position": [F("position__name").asc(nulls_last=True), "full_name", "pk"],
    "-position": [F("position__name").desc(nulls_last=True), "full_name", "pk"],
}
DEFAULT_SORT = "jp"

PERSON_FIELDS = (
    "pk",
    "full_name",
    "nip",
    "email",
    "work_unit_id",
    "work_unit__name",
    "position_id",
    "position__name",
    "jp",
)


@dataclass(frozen=True)
class ComplianceFilters:
    """Which staff a report covers: the year, and optionally one work unit (or those without
    one, `NO_UNIT`) and one position."""

    year: int
    unit: int | str | None = None
    position: int | None = None


def compliance_years(today: date | None = None) -> list[int]:
    """The years the report offers, newest first."""
    year = (today or timezone.localdate()).year
    return list(range(year, year - YEARS_BACK - 1, -1))


def compliance_percent(compliant: int, staff: int) -> int | None:
    """Whole percent, rounded down: 100% only when everyone is compliant."""
    return compliant * 100 // staff if staff else None


def jp_value(value) -> Decimal:
    """JP with two decimal places, as stored: computed sums come back as 0 or 19.5 from some
    databases and 0.00 or 19.50 from others."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def organization_staff(
    *, organization: Organization, kind: str, filters: ComplianceFilters
) -> QuerySet[User]:
    """The organization's active staff of one ASN kind, filtered, each with their `jp`."""
    # Only confirmed members: choosing an organization at sign-up only asks to join it.
    staff = User.objects.filter(
        organization=organization,
        membership_status=MembershipStatus.CONFIRMED,
        account_kind=kind,
        is_active=True,
    )
    if filters.unit == NO_UNIT:
        staff = staff.filter(work_unit__isnull=True)
    elif filters.unit is not None:
        staff = staff.filter(work_unit_id=filters.unit)
    if filters.position is not None:
        staff = staff.filter(position_id=filters.position)
    return staff.annotate(jp=jp_in_year(filters.year))


@dataclass
class UnitCompliance:
    """PNS compliance in one work unit (`unit_id` None: people without a unit)."""

    unit_id: int | None
    name: str
    parent_name: str
    staff: int
    compliant: int

    @property
    def below(self) -> int:
        return self.staff - self.compliant

    @property
    def percent(self) -> int | None:
        return compliance_percent(self.compliant, self.staff)


@dataclass
class ComplianceReport:
    """PNS compliance overall and per unit, and the PPPK summary, for one year."""

    year: int
    target: int
    pppk_cap: int
    units: list[UnitCompliance] = field(default_factory=list)
    pppk_staff: int = 0
    pppk_at_cap: int = 0
    pppk_jp_total: Decimal = Decimal(0)

    @property
    def staff(self) -> int:
        return sum(unit.staff for unit in self.units)

    @property
    def compliant(self) -> int:
        return sum(unit.compliant for unit in self.units)

    @property
    def below(self) -> int:
        return self.staff - self.compliant

    @property
    def percent(self) -> int | None:
        return compliance_percent(self.compliant, self.staff)

    @property
    def pppk_jp_average(self) -> Decimal | None:
        if not self.pppk_staff:
            return None
        return (self.pppk_jp_total / self.pppk_staff).quantize(Decimal("0.1"))


def cache_key(organization: Organization, filters: ComplianceFilters, *parts) -> str:
    """Where figures of `organization` under `filters` are cached (`compliance.cache`): under
    the organization's current token, so any change to its staff's JP forgets them."""
    token = organization_token(organization.pk)
    scope = f"{filters.year}:{filters.unit}:{filters.position}"
    return ":".join(["compliance", str(organization.pk), token, scope, *map(str, parts)])


def compliance_report(
    *, organization: Organization, filters: ComplianceFilters
) -> ComplianceReport:
    """The report, from the cache while the organization's staff's JP have not changed."""
    return cached(
        cache_key(organization, filters, "report"),
        lambda: _compliance_report(organization=organization, filters=filters),
    )


def pns_below_target_page_rows(
    *, organization: Organization, filters: ComplianceFilters, sort: str, count: int
) -> CachedRows:
    """`pns_below_target` for a paginator, each page cached like the report."""
    return CachedRows(
        pns_below_target(organization=organization, filters=filters, sort=sort),
        key=cache_key(organization, filters, "below", sort),
        count=count,
    )


def pppk_staff_page_rows(
    *, organization: Organization, filters: ComplianceFilters, count: int
) -> CachedRows:
    return CachedRows(
        pppk_staff(organization=organization, filters=filters),
        key=cache_key(organization, filters, "pppk"),
        count=count,
    )


def figures_warm(*, organization: Organization) -> ComplianceReport:
    """Count into the cache what HR's first view shows (this year, no filter, the first page of
    each list in its default order: the page's and the API's): `compliance.tasks` runs it after
    a change so that view is read from the cache."""
    filters = ComplianceFilters(year=timezone.localdate().year)
    report = compliance_report(organization=organization, filters=filters)
    below = pns_below_target_page_rows(
        organization=organization, filters=filters, sort=DEFAULT_SORT, count=report.below
    )
    pppk = pppk_staff_page_rows(organization=organization, filters=filters, count=report.pppk_staff)
    for rows, count in ((below, report.below), (pppk, report.pppk_staff)):
        list(CountedPaginator(rows, PEOPLE_PER_PAGE, count=count).get_page(1))
    return report


def _compliance_report(
    *, organization: Organization, filters: ComplianceFilters
) -> ComplianceReport:
    """Two queries whatever the number of staff: PNS grouped per unit, PPPK in one row."""
    target = settings.LENTERA_JP_TARGET
    cap = settings.LENTERA_PPPK_JP_CAP
    per_unit = (
        organization_staff(organization=organization, kind=User.AccountKind.PNS, filters=filters)
        .values("work_unit", "work_unit__name", "work_unit__parent__name")
        .annotate(staff=Count("pk"), compliant=Count("pk", filter=Q(jp__gte=target)))
        .order_by(F("work_unit__name").asc(nulls_last=True), "work_unit")
    )
    pppk = organization_staff(
        organization=organization, kind=User.AccountKind.PPPK, filters=filters
    ).aggregate(staff=Count("pk"), at_cap=Count("pk", filter=Q(jp__gte=cap)), jp_total=Sum("jp"))
    return ComplianceReport(
        year=filters.year,
        target=target,
        pppk_cap=cap,
        units=[
            UnitCompliance(
                unit_id=row["work_unit"],
                name=row["work_unit__name"] or "",
                parent_name=row["work_unit__parent__name"] or "",
                staff=row["staff"],
                compliant=row["compliant"],
            )
            for row in per_unit
        ],
        pppk_staff=pppk["staff"],
        pppk_at_cap=pppk["at_cap"],
        pppk_jp_total=jp_value(pppk["jp_total"]),
    )


def pns_below_target(
    *, organization: Organization, filters: ComplianceFilters, sort: str = DEFAULT_SORT
) -> QuerySet:
    """PNS staff below the JP target, as rows of `PERSON_FIELDS` (slice it: it is not loaded)."""
    return (
        organization_staff(organization=organization, kind=User.AccountKind.PNS, filters=filters)
        .filter(jp__lt=settings.LENTERA_JP_TARGET)
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
        .values(*PERSON_FIELDS)
    )


def pppk_staff(
    *, organization: Organization, filters: ComplianceFilters, sort: str = "name"
) -> QuerySet:
    """PPPK staff with their JP, as rows of `PERSON_FIELDS`."""
    return (
        organization_staff(organization=organization, kind=User.AccountKind.PPPK, filters=filters)
        .order_by(*SORTS.get(sort, SORTS["name"]))
        .values(*PERSON_FIELDS)
    )


def staff_rows(*, organization: Organization, filters: ComplianceFilters, kind: str):
    """Every staff member of one kind for an export, by unit then name: tuples of
    (name, NIP, unit, position, JP). Iterate it with `.iterator()`: it may be 50,000 rows."""
    return (
        organization_staff(organization=organization, kind=kind, filters=filters)
        .order_by(F("work_unit__name").asc(nulls_last=True), "full_name", "pk")
        .values_list("full_name", "nip", "work_unit__name", "position__name", "jp")
    )


def unit_choices(organization: Organization, *, limit: int | None = None) -> list[tuple[int, str]]:
    """The organization's work units for a filter, labelled with their parent when nested; the
    first `limit` by name when given (`compliance.forms` only needs to know whether there are
    few enough for a drop-down)."""
    units = (
        WorkUnit.objects.filter(organization=organization)
        .order_by("name", "pk")
        .values_list("pk", "name", "parent__name")
    )
    if limit is not None:
        units = units[:limit]
    return [(pk, f"{name} ({parent})" if parent else name) for pk, name, parent in units]


def unit_exists(organization: Organization, pk: int) -> bool:
    return WorkUnit.objects.filter(organization=organization, pk=pk).exists()


def units_matching(units: list[UnitCompliance], search: str) -> list[UnitCompliance]:
    """The report's units whose name or parent unit's name contains `search` (any case, in the
    report's order); all of them for an empty search. The report is cached: no query."""
    needle = search.casefold()
    if not needle:
        return units
    return [
        unit
        for unit in units
        if needle in unit.name.casefold() or needle in unit.parent_name.casefold()
    ]


def position_choices(organization: Organization) -> list[tuple[int, str]]:
    return list(
        Position.objects.filter(organization=organization)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


class CountedPaginator(Paginator):
    """A paginator told its count, already aggregated in the report (`ComplianceReport.below`,
    `pppk_staff`): no second pass over every person just to count them."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def compliance_access_record(
    *, actor: User, organization: Organization, filters: ComplianceFilters, action: str, **detail
) -> None:
    """One audit event per view or export of the report (never one per person listed), written
    here so the page, its exports and the API cannot differ in what they log."""
    from audit.services import audit_record

    audit_record(
        actor,
        action,
        organization=organization,
        target=organization.name,
        detail={
            "report": "jp_compliance",
            "year": filters.year,
            "unit": filters.unit,
            "position": filters.position,
            **detail,
        },
    )

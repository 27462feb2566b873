"""The JP ledger: one list of everything a person's JP come from, and the one rule of what counts.

Completed Lentera courses are records of their own kind, verified by completion (e-learning, so
non-classroom): they count as `learners.selectors.jp_counting_enrollments` says (completed, the
certificate not revoked), in the year of completion in the platform's time zone
(`learners.selectors.year_bounds`). Development records outside courses count once verified,
with the JP decided at verification (`DevelopmentRecord.jp_credited`: within the form's yearly
cap, see `development.services`), in the year of the activity's end date (a calendar date, so
already the platform's day). Every JP figure (the learner's ledger and history, the JP CSV,
`/api/v1/me/jp`, the SIASN export and the agency compliance report) is built from the functions
here, in a fixed number of queries whatever the number of courses or records.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from development.models import DevelopmentForm, DevelopmentRecord
from learners.models import Certificate, Enrollment, User
from learners.selectors import (
    completed_enrollments,
    jp_counting_enrollments,
    jp_target_for,
    platform_date,
    year_bounds,
)

#: The kind of a ledger entry that is a completed Lentera course (other entries carry their
#: form's code).
COURSE = "course"
_JP = DecimalField(max_digits=9, decimal_places=2)
Status = DevelopmentRecord.Status


@dataclass
class LedgerEntry:
    """One line of the ledger: a completed course or a development record."""

    kind: str
    form: str
    mode: str
    title: str
    started_on: date | None
    ended_on: date
    # What counts (credited) for a counted entry; what was claimed for one that does not count.
    jp: Decimal
    status: str
    status_label: str
    counted: bool
    certificate: Certificate | None = None
    enrollment: Enrollment | None = None
    record: DevelopmentRecord | None = None
    # A record's JP before the yearly cap, when the cap credited less.
    jp_claimed: Decimal | None = None

    @property
    def mode_label(self) -> str:
        return DevelopmentForm.Mode(self.mode).label

    @property
    def completed_at(self) -> datetime | None:
        return self.enrollment.completed_at if self.enrollment else None

    @property
    def evidence_url(self) -> str:
        return self.record.evidence_url if self.record else ""

    @property
    def evidence_count(self) -> int:
        return getattr(self.record, "evidence_count", 0) if self.record else 0


@dataclass
class JPLedger:
    """JP earned in one calendar year, against the PNS target or the PPPK cap.

    Only ASN have a yearly JP rule, so a non-ASN account's ledger has no `target` (None): their
    JP are shown without a target to reach.
    """

    year: int
    target: int | None
    is_cap: bool
    earned: Decimal
    entries: list[LedgerEntry]

    @property
    def counted(self) -> list[LedgerEntry]:
        return [entry for entry in self.entries if entry.counted]

    @property
    def percent(self) -> int | None:
        if self.target is None:
            return None
        return min(100, round(100 * self.earned / self.target)) if self.target else 100

    @property
    def remaining(self) -> Decimal | None:
        if self.target is None:
            return None
        return max(Decimal(0), Decimal(self.target) - self.earned)


def _year_dates(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def course_entry(enrollment: Enrollment) -> LedgerEntry:
    certificate = getattr(enrollment, "certificate", None)
    ended_on = platform_date(enrollment.completed_at)
    started = certificate.started_on if certificate else None
    if started is None and enrollment.started_at:
        started = platform_date(enrollment.started_at)
    return LedgerEntry(
        kind=COURSE,
        form=str(_("Lentera course")),
        mode=DevelopmentForm.Mode.NON_CLASSICAL,
        title=certificate.course_title if certificate else enrollment.course.title,
        started_on=started,
        ended_on=ended_on,
        jp=enrollment.jp_credited or Decimal(0),
        status=Status.VERIFIED,
        status_label=str(_("Verified by completion")),
        counted=True,
        certificate=certificate,
        enrollment=enrollment,
    )


def record_entry(record: DevelopmentRecord) -> LedgerEntry:
    counted = record.status == Status.VERIFIED
    return LedgerEntry(
        kind=record.form.code,
        form=record.form.name,
        mode=record.form.mode,
        title=record.title,
        started_on=record.start_date,
        ended_on=record.end_date,
        jp=record.jp_credited if counted else record.jp,
        status=record.status,
        status_label=str(record.get_status_display()),
        counted=counted,
        record=record,
        jp_claimed=record.jp if counted and record.jp_credited < record.jp else None,
    )


def _records(user: User) -> QuerySet[DevelopmentRecord]:
    return (
        DevelopmentRecord.objects.filter(owner=user)
        .select_related("form")
        .annotate(evidence_count=Count("evidence_files"))
        .order_by("-end_date", "-pk")
    )


def _sorted(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    return sorted(entries, key=lambda entry: entry.ended_on, reverse=True)


def jp_ledger(*, user: User, year: int, with_uncounted: bool = False) -> JPLedger:
    """`user`'s ledger for `year`: completed courses and verified records, and with
    `with_uncounted` (the learner's own page) their records waiting, returned, rejected or
    revoked too, marked as not counted. Two queries."""
    start, end = year_bounds(year)
    first_day, next_year = _year_dates(year)
    courses = completed_enrollments(user).filter(completed_at__gte=start, completed_at__lt=end)
    records = _records(user).filter(end_date__gte=first_day, end_date__lt=next_year)
    if not with_uncounted:
        records = records.filter(status=Status.VERIFIED)
    entries = _sorted(
        [course_entry(enrollment) for enrollment in courses]
        + [record_entry(record) for record in records]
    )
    target, is_cap = jp_target_for(user)
    return JPLedger(
        year=year,
        target=target,
        is_cap=is_cap,
        earned=sum((entry.jp for entry in entries if entry.counted), Decimal(0)),
        entries=entries,
    )


def counted_entries(user: User) -> list[LedgerEntry]:
    """Every entry of `user` that counts, over all years, newest first (the JP CSV and the
    SIASN export). Two queries."""
    return _sorted(
        [course_entry(enrollment) for enrollment in completed_enrollments(user)]
        + [record_entry(record) for record in _records(user).filter(status=Status.VERIFIED)]
    )


def jp_history(*, user: User) -> list[tuple[int, Decimal]]:
    """JP earned per calendar year, newest first. Two queries."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for completed_at, jp in completed_enrollments(user).values_list("completed_at", "jp_credited"):
        totals[platform_date(completed_at).year] += jp or Decimal(0)
    for year, jp in (
        DevelopmentRecord.objects.filter(owner=user, status=Status.VERIFIED)
        .annotate(year=ExtractYear("end_date"))
        .values("year")
        .annotate(total=Sum("jp_credited"))
        .values_list("year", "total")
        .order_by()
    ):
        totals[year] += jp or Decimal(0)
    return sorted(totals.items(), reverse=True)


def verified_jp_in_year(user: User, year: int) -> Decimal:
    """The JP `user`'s verified records give in `year` (by the activity's end date), each
    form's yearly cap applied at verification: one query."""
    first_day, next_year = _year_dates(year)
    total = DevelopmentRecord.objects.filter(
        owner=user, status=Status.VERIFIED, end_date__gte=first_day, end_date__lt=next_year
    ).aggregate(total=Sum("jp_credited"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def records_jp_in_year(year: int) -> Coalesce:
    """`verified_jp_in_year` of the outer `User` row, as a correlated subquery (0 when none):
    what the agency compliance report adds to each person's course JP."""
    first_day, next_year = _year_dates(year)
    credited = (
        DevelopmentRecord.objects.filter(
            owner=OuterRef("pk"),
            status=Status.VERIFIED,
            end_date__gte=first_day,
            end_date__lt=next_year,
        )
        .order_by()
        .values("owner")
        .annotate(total=Sum("jp_credited"))
        .values("total")
    )
    return Coalesce(Subquery(credited, output_field=_JP), Value(Decimal(0)), output_field=_JP)


def jp_in_year(year: int) -> ExpressionWrapper:
    """The JP a person (the outer `User` row) earned in `year`, courses and verified records
    (the figure `jp_ledger` earns), as correlated subqueries: 0 when none. The agency compliance
    report and the supervisor's team page annotate people with it."""
    start, end = year_bounds(year)
    earned = (
        jp_counting_enrollments()
        .filter(user=OuterRef("pk"), completed_at__gte=start, completed_at__lt=end)
        .order_by()
        .values("user")
        .annotate(total=Sum("jp_credited"))
        .values("total")
    )
    courses = Coalesce(Subquery(earned, output_field=_JP), Value(Decimal(0)), output_field=_JP)
    return ExpressionWrapper(courses + records_jp_in_year(year), output_field=_JP)


def current_year() -> int:
    """This year in the platform's time zone."""
    return platform_date(timezone.now()).year

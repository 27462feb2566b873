"""HR's organization-wide SIASN export: every verified development record and every completed
Lentera course with its certificate, of the organization's ASN staff, in one year.

The rows are those of each person's own SIASN export (`development.siasn.siasn_row`, the same
`jenisDiklat` mapping), preceded by the person's NIP and name so that one file covers everyone.
The people are the report's (`compliance.reports.organization_staff`): active, confirmed PNS and
PPPK of the organization, optionally of one work unit (exactly that unit, as the report filters
it). Two queries, read in chunks and merged person by person: the memory used does not grow with
the number of rows.
"""

import heapq
from collections.abc import Callable, Iterator
from datetime import date

from content.models import Organization
from development.ledger import LedgerEntry, course_entry, record_entry
from development.models import DevelopmentRecord
from development.siasn import SIASN_HEADER, siasn_row
from learners.models import MembershipStatus, User
from learners.selectors import jp_counting_enrollments, year_bounds

#: Rows read from the database at a time.
CHUNK = 2000

#: The person's columns in front of each SIASN row.
PERSON_HEADER = ["nipBaru", "nama"]
HEADER = [*PERSON_HEADER, *SIASN_HEADER]


def _people_q(prefix: str, *, organization: Organization, unit) -> dict:
    conditions = {
        f"{prefix}organization": organization,
        f"{prefix}membership_status": MembershipStatus.CONFIRMED,
        f"{prefix}is_active": True,
        f"{prefix}account_kind__in": [User.AccountKind.PNS, User.AccountKind.PPPK],
    }
    if unit is not None:
        conditions[f"{prefix}work_unit"] = unit
    return conditions


def _records(*, organization: Organization, year: int, unit) -> Iterator[tuple]:
    records = (
        DevelopmentRecord.objects.filter(
            status=DevelopmentRecord.Status.VERIFIED,
            end_date__gte=date(year, 1, 1),
            end_date__lt=date(year + 1, 1, 1),
            **_people_q("owner__", organization=organization, unit=unit),
        )
        .select_related("form", "owner")
        .order_by("owner_id", "end_date", "pk")
    )
    for record in records.iterator(chunk_size=CHUNK):
        yield (record.owner_id, record.end_date, 1, record.pk), record.owner, record_entry(record)


def _courses(*, organization: Organization, year: int, unit) -> Iterator[tuple]:
    start, end = year_bounds(year)
    enrollments = (
        jp_counting_enrollments()
        .filter(
            certificate__isnull=False,
            completed_at__gte=start,
            completed_at__lt=end,
            **_people_q("user__", organization=organization, unit=unit),
        )
        .select_related("course", "certificate", "user")
        .order_by("user_id", "completed_at", "pk")
    )
    for enrollment in enrollments.iterator(chunk_size=CHUNK):
        entry = course_entry(enrollment)
        yield (enrollment.user_id, entry.ended_on, 0, enrollment.pk), enrollment.user, entry


def organization_siasn_rows(
    *, organization: Organization, year: int, unit, absolute_uri: Callable[[str], str]
) -> Iterator[list]:
    """The `HEADER` rows, person by person (in account order), each person's entries by date."""
    merged: Iterator[tuple[tuple, User, LedgerEntry]] = heapq.merge(
        _courses(organization=organization, year=year, unit=unit),
        _records(organization=organization, year=year, unit=unit),
        key=lambda item: item[0],
    )
    for _key, person, entry in merged:
        yield [person.nip or "", person.full_name, *siasn_row(entry, absolute_uri=absolute_uri)]

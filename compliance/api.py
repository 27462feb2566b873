"""JP compliance endpoints of the learner API (/api/v1/), a router `lentera.learner_api` adds: the
report, one staff member's drill-down and the organization's SIASN rows.

Only the organization's admins (and platform administrators) get an answer; for anyone else the
organization does not exist (404), as an unknown id does. The numbers are those of the
compliance page (`compliance.reports`), and so is the validation of the filters
(`compliance.forms`).
"""

from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from audit.services import Action, audit_record
from compliance import people, reports, siasn
from compliance.forms import ComplianceFiltersForm, SiasnExportForm
from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from learners.permissions import organizations_administered

router = Router(tags=["compliance"])

MAX_PAGE_SIZE = 200
MAX_SIASN_PAGE_SIZE = 500


class TotalsOut(Schema):
    staff: int
    compliant: int
    below_target: int
    percent: int | None = Field(description="Compliant share, whole percent rounded down")


class UnitOut(TotalsOut):
    unit_id: int | None = Field(description="None: staff without a work unit")
    unit_name: str | None


class PPPKOut(Schema):
    staff: int
    cap: int
    reached_cap: int
    jp_total: Decimal
    jp_average: Decimal | None


class PersonOut(Schema):
    user_id: int
    name: str
    nip: str | None
    work_unit_id: int | None
    work_unit: str | None
    position_id: int | None
    position: str | None
    jp: Decimal


class BelowTargetOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[PersonOut]


class UnitsPageOut(Schema):
    count: int = Field(description="Work units with PNS staff under these filters")
    page: int
    page_size: int
    pages: int


class ComplianceOut(Schema):
    organization_id: int
    organization_name: str
    year: int
    target: int
    pppk_cap: int
    pns: TotalsOut
    units: list[UnitOut] = Field(
        description="One page of the work units, by name (`units_page`, `units_page_size`)"
    )
    units_paging: UnitsPageOut
    pppk: PPPKOut
    below_target: BelowTargetOut


class ComplianceQuery(Schema):
    year: int | None = Field(
        None, description="Calendar year: this year (when omitted) or one of the four before"
    )
    unit: int | None = Field(None, description="A work unit of the organization")
    position: int | None = Field(None, description="A position of the organization")
    sort: str = Field("jp", description="jp, name, unit or position; a leading - reverses")
    page: int = Field(1, ge=1)
    page_size: int = Field(reports.PEOPLE_PER_PAGE, ge=1, le=MAX_PAGE_SIZE)
    units_page: int = Field(1, ge=1, description="Page of `units`")
    units_page_size: int = Field(reports.UNITS_PER_PAGE, ge=1, le=MAX_PAGE_SIZE)


def _person(row: dict) -> dict:
    return {
        "user_id": row["pk"],
        "name": row["full_name"],
        "nip": row["nip"],
        "work_unit_id": row["work_unit_id"],
        "work_unit": row["work_unit__name"],
        "position_id": row["position_id"],
        "position": row["position__name"],
        "jp": reports.jp_value(row["jp"]),
    }


def _invalid(detail: str) -> Status:
    return Status(422, {"code": "invalid", "detail": detail})


@router.get(
    "/organizations/{organization_id}/compliance",
    # 400: control characters in the query (refused before the view, as every address is)
    response={200: ComplianceOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="JP compliance of an organization's staff (its admins only)",
)
def organization_compliance(request, organization_id: int, query: Query[ComplianceQuery]):
    organization = organizations_administered(request.user).filter(pk=organization_id).first()
    if organization is None:
        return Status(404, {"code": "not_found", "detail": _("No organization has this id.")})
    # The page's and the exports' validation: the same years, units, positions and orders.
    form = ComplianceFiltersForm.from_api(
        organization=organization,
        year=query.year,
        unit=query.unit,
        position=query.position,
        sort=query.sort,
    )
    if not form.is_valid():
        return _invalid(form.error_text())

    filters = form.filters()
    year = filters.year
    report = reports.compliance_report(organization=organization, filters=filters)
    paginator = reports.CountedPaginator(
        reports.pns_below_target_page_rows(
            organization=organization, filters=filters, sort=form.sort_order, count=report.below
        ),
        query.page_size,
        count=report.below,
    )
    page = paginator.get_page(query.page)
    units_paginator = Paginator(report.units, query.units_page_size)
    units = units_paginator.get_page(query.units_page)
    reports.compliance_access_record(
        actor=request.user,
        organization=organization,
        filters=filters,
        action=Action.REPORT_VIEWED,
        via="api",
    )
    return {
        "organization_id": organization.pk,
        "organization_name": organization.name,
        "year": year,
        "target": report.target,
        "pppk_cap": report.pppk_cap,
        "pns": {
            "staff": report.staff,
            "compliant": report.compliant,
            "below_target": report.below,
            "percent": report.percent,
        },
        "units": [
            {
                "unit_id": unit.unit_id,
                "unit_name": unit.name or None,
                "staff": unit.staff,
                "compliant": unit.compliant,
                "below_target": unit.below,
                "percent": unit.percent,
            }
            for unit in units
        ],
        "units_paging": {
            "count": units_paginator.count,
            "page": units.number,
            "page_size": query.units_page_size,
            "pages": units_paginator.num_pages,
        },
        "pppk": {
            "staff": report.pppk_staff,
            "cap": report.pppk_cap,
            "reached_cap": report.pppk_at_cap,
            "jp_total": report.pppk_jp_total,
            "jp_average": report.pppk_jp_average,
        },
        "below_target": {
            "count": paginator.count,
            "page": page.number,
            "page_size": query.page_size,
            "pages": paginator.num_pages,
            "results": [_person(row) for row in page],
        },
    }


# One person (HR's drill-down) and the organization-wide SIASN export (issue 16): the same reads
# as the pages (`compliance.people`, `compliance.siasn`), the same validation of the filters
# (`compliance.forms.SiasnExportForm`) and the same audit events.


class EntryOut(Schema):
    kind: str = Field(description='"course" for a Lentera course, else the form\'s code')
    form: str
    mode: str = Field(description="klasikal or nonklasikal")
    title: str
    started_on: date | None
    ended_on: date
    jp: Decimal = Field(description="Credited for a counted entry; claimed for one that is not")
    status: str = Field(description="verified, submitted, changes_requested, rejected, revoked")
    counted: bool
    record_id: int | None = Field(description="The development record; null for a course")
    certificate_serial: str | None
    evidence_url: str
    evidence_files: int


class ActiveCourseOut(Schema):
    enrollment_id: int
    course_id: int
    course_title: str
    percent: int


class WaitingRecordOut(Schema):
    record_id: int
    title: str
    form: str
    jp: Decimal
    end_date: date


class SupervisorOut(Schema):
    user_id: int
    name: str


class ReminderOut(Schema):
    created_at: datetime
    sent_by: str | None
    year: int
    jp: Decimal = Field(description="The person's JP in `year` when it was sent")
    target: int
    status: str = Field(description="queued, sent, failed or skipped (no address)")


class PersonDetailOut(Schema):
    user_id: int
    name: str
    nip: str | None
    account_kind: str
    work_unit: str | None
    position: str | None
    year: int
    target: int | None = Field(description="The PNS target or the PPPK cap; null for non-ASN")
    is_cap: bool
    earned: Decimal
    entries: list[EntryOut]
    waiting: list[WaitingRecordOut]
    active_courses: list[ActiveCourseOut]
    supervisor: SupervisorOut | None = Field(description="The confirmed direct supervisor")
    reminders: list[ReminderOut]


def _not_found(detail: str) -> Status:
    return Status(404, {"code": "not_found", "detail": detail})


@router.get(
    "/organizations/{organization_id}/people/{person_id}",
    response={200: PersonDetailOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="One staff member's JP in a year and everything behind it (the organization's HR)",
    description=(
        "The drill-down of the compliance report: the person's ledger for the year (courses and "
        "development records in every status, `counted` saying which count), the records "
        "waiting for verification, active enrollments with progress, the confirmed direct "
        "supervisor and the reminders HR sent. Confirmed members of the organization only; "
        "each call is recorded in the person's audit log."
    ),
)
def organization_person(request, organization_id: int, person_id: int, year: int | None = None):
    organization = organizations_administered(request.user).filter(pk=organization_id).first()
    if organization is None:
        return _not_found(_("No organization has this id."))
    person = people.organization_people(organization).filter(pk=person_id).first()
    if person is None:
        return _not_found(_("No staff member of this organization has this id."))
    years = reports.compliance_years()
    if year is not None and year not in years:
        return _invalid(
            _("Choose a year from %(first)s to %(last)s.") % {"first": years[-1], "last": years[0]}
        )
    year = year or years[0]
    overview = people.person_overview(person=person, year=year)
    audit_record(
        request.user,
        Action.RECORD_VIEWED,
        organization=organization,
        subject=person,
        target=person.full_name,
        detail={"report": "jp_person", "year": year, "via": "api"},
    )
    jp = overview.ledger
    supervisor = overview.supervisor
    return {
        "user_id": person.pk,
        "name": person.full_name,
        "nip": person.nip,
        "account_kind": person.account_kind,
        "work_unit": person.work_unit.name if person.work_unit else None,
        "position": person.position.name if person.position else None,
        "year": year,
        "target": jp.target,
        "is_cap": jp.is_cap,
        "earned": jp.earned,
        "entries": [
            {
                "kind": entry.kind,
                "form": entry.form,
                "mode": entry.mode,
                "title": entry.title,
                "started_on": entry.started_on,
                "ended_on": entry.ended_on,
                "jp": entry.jp,
                "status": entry.status,
                "counted": entry.counted,
                "record_id": entry.record.pk if entry.record else None,
                "certificate_serial": entry.certificate.serial if entry.certificate else None,
                "evidence_url": entry.evidence_url,
                "evidence_files": entry.evidence_count,
            }
            for entry in jp.entries
        ],
        "waiting": [
            {
                "record_id": record.pk,
                "title": record.title,
                "form": record.form.name,
                "jp": record.jp,
                "end_date": record.end_date,
            }
            for record in overview.waiting
        ],
        "active_courses": [
            {
                "enrollment_id": item.enrollment.pk,
                "course_id": item.enrollment.course_id,
                "course_title": item.enrollment.course.title,
                "percent": item.percent,
            }
            for item in overview.active
        ],
        "supervisor": {"user_id": supervisor.pk, "name": supervisor.full_name}
        if supervisor
        else None,
        "reminders": [
            {
                "created_at": reminder.created_at,
                "sent_by": reminder.sent_by.full_name if reminder.sent_by else None,
                "year": reminder.year,
                "jp": reminder.jp,
                "target": reminder.target,
                "status": reminder.status,
            }
            for reminder in overview.reminders
        ],
    }


class SiasnQuery(Schema):
    year: int | None = Field(
        None, description="Calendar year, 2000 to this year; this year if omitted"
    )
    unit: int | None = Field(
        None, description="A work unit of the organization (exactly that unit)"
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(100, ge=1, le=MAX_SIASN_PAGE_SIZE)


class SiasnPageOut(Schema):
    year: int
    unit: int | None
    page: int
    page_size: int
    has_next: bool
    columns: list[str] = Field(description="The keys of each row, in SIASN's order")
    results: list[dict[str, str | int | Decimal | None]]


@router.get(
    "/organizations/{organization_id}/siasn",
    response={200: SiasnPageOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="Verified training of the organization's staff in SIASN's shape (its HR)",
    description=(
        "The rows of the SIASN export (riwayat diklat/kursus): each verified development record "
        "with its form's jenisDiklat, and each Lentera course completed with a certificate, of "
        "the organization's PNS and PPPK in one year, person by person, each row led by the "
        "person's NIP (nipBaru) and name. Paged; every call is recorded in the audit log."
    ),
)
def organization_siasn(request, organization_id: int, query: Query[SiasnQuery]):
    organization = organizations_administered(request.user).filter(pk=organization_id).first()
    if organization is None:
        return _not_found(_("No organization has this id."))
    data = {"tahun": query.year, "unit": query.unit}
    form = SiasnExportForm(
        {key: str(value) for key, value in data.items() if value is not None},
        organization=organization,
    )
    if not form.is_valid():
        return _invalid(
            " ".join(
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            )
        )
    year, unit = form.cleaned_data["tahun"], form.cleaned_data.get("unit")
    audit_record(
        request.user,
        Action.EXPORT,
        organization=organization,
        target=organization.name,
        detail={"report": "siasn_riwayat_diklat", "year": year, "unit": unit, "via": "api"},
    )
    start = (query.page - 1) * query.page_size
    rows = list(
        islice(
            siasn.organization_siasn_rows(
                organization=organization,
                year=year,
                unit=unit,
                absolute_uri=request.build_absolute_uri,
            ),
            start,
            start + query.page_size + 1,
        )
    )
    return {
        "year": year,
        "unit": unit,
        "page": query.page,
        "page_size": query.page_size,
        "has_next": len(rows) > query.page_size,
        "columns": siasn.HEADER,
        "results": [dict(zip(siasn.HEADER, row, strict=True)) for row in rows[: query.page_size]],
    }

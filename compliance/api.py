"""JP compliance endpoint of the learner API (/api/v1/): a router `lentera.learner_api` adds.

Only the organization's admins (and platform administrators) get an answer; for anyone else the
organization does not exist (404), as an unknown id does. The numbers are those of the
compliance page (`compliance.reports`), and so is the validation of the filters
(`compliance.forms`).
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from audit.services import Action
from compliance import reports
from compliance.forms import ComplianceFiltersForm
from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from learners.permissions import organizations_administered

router = Router(tags=["compliance"])

MAX_PAGE_SIZE = 200


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


class ComplianceOut(Schema):
    organization_id: int
    organization_name: str
    year: int
    target: int
    pppk_cap: int
    pns: TotalsOut
    units: list[UnitOut]
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
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


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
        reports.pns_below_target(organization=organization, filters=filters, sort=form.sort_order),
        query.page_size,
        count=report.below,
    )
    page = paginator.get_page(query.page)
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
            for unit in report.units
        ],
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

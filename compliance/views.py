"""The organization admin's JP compliance page and its CSV and XLSX exports. Thin: the numbers
come from `compliance.reports`.

Every view looks the organization up among those the user administers, so a learner or the
admin of another organization gets 404, as for an organization that does not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import Action
from compliance import reports
from compliance.forms import ComplianceFiltersForm
from content.models import Organization
from core.exports import csv_response, xlsx_response
from learners import membership
from learners.models import User
from learners.permissions import organizations_administered

PEOPLE_PER_PAGE = reports.PEOPLE_PER_PAGE
EXPORT_CHUNK = 2000


def _audit(request, organization: Organization, action: str, filters, **detail) -> None:
    reports.compliance_access_record(
        actor=request.user, organization=organization, filters=filters, action=action, **detail
    )


def administered(request, organization_id: int) -> Organization:
    """The organization `organization_id` if the user administers it, else 404."""
    return get_object_or_404(organizations_administered(request.user), pk=organization_id)


def filters_form(request, organization: Organization) -> ComplianceFiltersForm:
    form = ComplianceFiltersForm(request.GET, organization=organization)
    form.is_valid()
    return form


@login_required
def compliance_index(request):
    """The organizations the user administers; straight to the report when there is one."""
    organizations = list(organizations_administered(request.user).order_by("name"))
    if not organizations:
        raise Http404
    if len(organizations) == 1:
        return redirect("compliance:report", organization_id=organizations[0].pk)
    return TemplateResponse(request, "compliance/index.html", {"organizations": organizations})


@login_required
def compliance_page(request, organization_id: int):
    """PNS compliance overall and per unit, PPPK apart, and the PNS below target."""
    organization = administered(request, organization_id)
    form = filters_form(request, organization)
    filters = form.filters()
    if form.errors:
        messages.warning(request, _("Some filters were not valid and are not applied."))
    report = reports.compliance_report(organization=organization, filters=filters)
    _audit(request, organization, Action.REPORT_VIEWED, filters)
    below = reports.CountedPaginator(
        reports.pns_below_target_page_rows(
            organization=organization, filters=filters, sort=form.sort_order, count=report.below
        ),
        PEOPLE_PER_PAGE,
        count=report.below,
    ).get_page(request.GET.get("page"))
    # The units table: a page of the cached report's units (searched by name when the
    # organization has too many units for a drop-down), so the page does not grow with them.
    units = Paginator(
        reports.units_matching(report.units, form.unit_search), reports.UNITS_PER_PAGE
    ).get_page(request.GET.get("unit_hal"))
    pppk = reports.CountedPaginator(
        reports.pppk_staff_page_rows(
            organization=organization, filters=filters, count=report.pppk_staff
        ),
        PEOPLE_PER_PAGE,
        count=report.pppk_staff,
    ).get_page(request.GET.get("pppk_page"))
    return TemplateResponse(
        request,
        "compliance/report.html",
        {
            "organization": organization,
            "form": form,
            "filters": filters,
            "sort": form.sort_order,
            "report": report,
            "page_obj": below,
            "units_page": units,
            "unit_label": _unit_label(report, filters),
            "pppk_page": pppk,
            "export_query": report_query(filters),
            "is_current_year": filters.year == timezone.localdate().year,
            # Not counted above until an admin confirms them (learners.membership).
            "pending": membership.pending_preview(organization),
        },
    )


def _unit_label(report: reports.ComplianceReport, filters: reports.ComplianceFilters) -> str:
    """The name of the unit the report is filtered to ("" when none), for the page that offers
    no drop-down to show it in: the filtered report has that unit's row only."""
    if filters.unit is None:
        return ""
    if filters.unit == reports.NO_UNIT:
        return _("No unit")
    return next((unit.name for unit in report.units if unit.unit_id == filters.unit), "")


def report_query(filters: reports.ComplianceFilters) -> str:
    params = {"tahun": filters.year}
    if filters.unit is not None:
        params["unit"] = filters.unit
    if filters.position is not None:
        params["jabatan"] = filters.position
    return urlencode(params)


def _filename(organization: Organization, year: int, extension: str) -> str:
    name = slugify(organization.short_name or organization.name) or "organisasi"
    return f"kepatuhan-jp-{name}-{year}.{extension}"


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _staff_header(target_label: str, reached_label: str) -> list[str]:
    return [_("Name"), "NIP", _("Work unit"), _("Position"), "JP", target_label, reached_label]


def _staff_rows(organization, filters, kind: str, limit: int):
    for name, nip, unit, position, jp in reports.staff_rows(
        organization=organization, filters=filters, kind=kind
    ).iterator(chunk_size=EXPORT_CHUNK):
        jp = reports.jp_value(jp)
        yield [name, nip or "", unit or "", position or "", jp, limit, _yes_no(jp >= limit)]


@login_required
def compliance_csv(request, organization_id: int) -> HttpResponse:
    """Every PNS, then every PPPK, of the filtered staff: one table, streamed."""
    organization = administered(request, organization_id)
    filters = filters_form(request, organization).filters()
    target, cap = settings.LENTERA_JP_TARGET, settings.LENTERA_PPPK_JP_CAP
    _audit(request, organization, Action.EXPORT, filters, format="csv")

    def rows():
        for row in _staff_rows(organization, filters, User.AccountKind.PNS, target):
            yield ["PNS", *row]
        for row in _staff_rows(organization, filters, User.AccountKind.PPPK, cap):
            # PPPK have a cap, not a target: they are neither compliant nor not.
            yield ["PPPK", *row[:-1], ""]

    return csv_response(
        filename=_filename(organization, filters.year, "csv"),
        header=[
            _("ASN status"),
            *_staff_header(_("JP target (PNS) or cap (PPPK)"), _("Compliant")),
        ],
        rows=rows(),
    )


@login_required
def compliance_xlsx(request, organization_id: int) -> HttpResponse:
    """A workbook: compliance per unit, every PNS, every PPPK."""
    organization = administered(request, organization_id)
    filters = filters_form(request, organization).filters()
    report = reports.compliance_report(organization=organization, filters=filters)
    _audit(request, organization, Action.EXPORT, filters, format="xlsx")

    def unit_rows():
        for unit in report.units:
            name = unit.name or _("No unit")
            yield [
                f"{name} ({unit.parent_name})" if unit.parent_name else name,
                unit.staff,
                unit.compliant,
                unit.below,
                unit.percent,
            ]
        yield [_("Total"), report.staff, report.compliant, report.below, report.percent]

    return xlsx_response(
        filename=_filename(organization, filters.year, "xlsx"),
        sheets=[
            (
                _("By unit %(year)s") % {"year": filters.year},
                [
                    _("Work unit"),
                    _("PNS staff"),
                    _("Compliant (%(target)s JP or more)") % {"target": report.target},
                    _("Below target"),
                    _("Compliant (%)"),
                ],
                unit_rows(),
            ),
            (
                "PNS",
                _staff_header(_("JP target"), _("Compliant")),
                _staff_rows(organization, filters, User.AccountKind.PNS, report.target),
            ),
            (
                "PPPK",
                _staff_header(_("JP cap"), _("Cap reached")),
                _staff_rows(organization, filters, User.AccountKind.PPPK, report.pppk_cap),
            ),
        ],
    )

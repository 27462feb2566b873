"""HR's work on one person and on the whole staff, from the compliance report: the per-person
drill-down, reminders to the PNS below target and the organization-wide SIASN export. Thin: the
reads are in `compliance.people` and `compliance.siasn`, the rule of reminding in
`compliance.reminders`.

As on the report, every view looks the organization up among those the user administers and the
person among its confirmed members, so anyone else (the person themself, their supervisor,
another organization's HR) gets 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import Action, audit_record
from compliance import people, reminders, reports, siasn
from compliance.forms import ComplianceFiltersForm, SiasnExportForm
from compliance.views import administered, report_query
from content.models import Organization
from core.exports import csv_response, xlsx_response


def _year(request: HttpRequest) -> int:
    """The report's year from the address (`tahun`): one it offers, else this year."""
    years = reports.compliance_years()
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() and int(value) in years else years[0]


@login_required
def person_detail(request: HttpRequest, organization_id: int, person_id: int) -> HttpResponse:
    """One person's JP in the year against their target, and everything behind it."""
    organization = administered(request, organization_id)
    person = get_object_or_404(people.organization_people(organization), pk=person_id)
    year = _year(request)
    overview = people.person_overview(person=person, year=year)
    # HR opened one person's learning: the person may read who did (UU PDP), as for evidence.
    audit_record(
        request.user,
        Action.RECORD_VIEWED,
        organization=organization,
        subject=person,
        target=person.full_name,
        detail={"report": "jp_person", "year": year},
    )
    return TemplateResponse(
        request,
        "compliance/person.html",
        {
            "organization": organization,
            "overview": overview,
            "person": person,
            "ledger": overview.ledger,
            "year": year,
            "years": reports.compliance_years(),
            "report_query": urlencode({"tahun": year}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reminders_send(request: HttpRequest, organization_id: int) -> HttpResponse:
    """GET: how many PNS below target (the report's unit and position) would be reminded;
    POST: remind them."""
    organization = administered(request, organization_id)
    data = request.POST if request.method == "POST" else request.GET
    form = ComplianceFiltersForm(data, organization=organization)
    form.is_valid()
    filters = form.filters()
    if request.method == "POST":
        if form.errors:
            messages.error(request, _("Some filters were not valid: no reminder was sent."))
            return redirect("compliance:report", organization_id=organization.pk)
        result = reminders.reminders_send(
            organization=organization, filters=filters, sent_by=request.user
        )
        _reminder_messages(request, result)
        return redirect(
            reverse("compliance:report", args=[organization.pk])
            + "?"
            + report_query(reminders.reminder_filters(filters))
        )
    preview = reminders.reminder_preview(organization=organization, filters=filters)
    return TemplateResponse(
        request,
        "compliance/reminders_confirm.html",
        {
            "organization": organization,
            "form": form,
            "filters": reminders.reminder_filters(filters),
            "preview": preview,
            "unit_label": _choice_label(form, "unit", filters.unit, _("All units")),
            "position_label": _choice_label(form, "jabatan", filters.position, _("All positions")),
            "days": settings.LENTERA_COMPLIANCE_REMINDER_DAYS,
            "batch_max": reminders.REMINDER_BATCH_MAX,
            "report_query": report_query(reminders.reminder_filters(filters)),
        },
    )


def _choice_label(form, field: str, value, default: str) -> str:
    if value is None:
        return default
    return dict(form.fields[field].choices).get(str(value), default)


def _reminder_messages(request: HttpRequest, result: reminders.RemindersQueued) -> None:
    if result.queued:
        messages.success(
            request,
            _("%(count)s reminder(s) are being sent.") % {"count": result.queued},
        )
    if result.recently_reminded:
        messages.info(
            request,
            _("%(count)s person(s) were reminded in the last %(days)s days and were skipped.")
            % {
                "count": result.recently_reminded,
                "days": settings.LENTERA_COMPLIANCE_REMINDER_DAYS,
            },
        )
    if result.left_for_later:
        messages.info(
            request,
            _("%(count)s more person(s) are below target: send again to remind them.")
            % {"count": result.left_for_later},
        )
    if not result.queued and not result.recently_reminded:
        messages.info(request, _("Nobody matching these filters is below target."))


def _siasn_form(request: HttpRequest, organization: Organization) -> SiasnExportForm:
    form = SiasnExportForm(request.GET, organization=organization)
    form.is_valid()
    return form


@login_required
def siasn_export(request: HttpRequest, organization_id: int) -> HttpResponse:
    """The SIASN export's page: choose the year and the unit, then the file."""
    organization = administered(request, organization_id)
    form = _siasn_form(request, organization)
    return _siasn_page(request, organization, form, status=400 if form.errors else 200)


def _siasn_page(request, organization, form, *, status: int = 200) -> HttpResponse:
    query = ""
    if not form.errors:
        params = {"tahun": form.cleaned_data["tahun"]}
        if form.cleaned_data.get("unit") is not None:
            params["unit"] = form.cleaned_data["unit"]
        query = urlencode(params)
    return TemplateResponse(
        request,
        "compliance/siasn_export.html",
        {"organization": organization, "form": form, "query": query},
        status=status,
    )


def _siasn_download(request: HttpRequest, organization_id: int, extension: str) -> HttpResponse:
    organization = administered(request, organization_id)
    form = _siasn_form(request, organization)
    if form.errors:
        # Nothing to download: the page says which filter is wrong.
        return _siasn_page(request, organization, form, status=400)
    year, unit = form.cleaned_data["tahun"], form.cleaned_data.get("unit")
    audit_record(
        request.user,
        Action.EXPORT,
        organization=organization,
        target=organization.name,
        detail={"report": "siasn_riwayat_diklat", "year": year, "unit": unit, "format": extension},
    )
    rows = siasn.organization_siasn_rows(
        organization=organization, year=year, unit=unit, absolute_uri=request.build_absolute_uri
    )
    name = slugify(organization.short_name or organization.name) or "organisasi"
    filename = f"siasn-riwayat-diklat-{name}-{year}.{extension}"
    if extension == "csv":
        return csv_response(filename=filename, header=siasn.HEADER, rows=rows)
    return xlsx_response(filename=filename, sheets=[(f"SIASN {year}", siasn.HEADER, rows)])


@login_required
def siasn_export_csv(request: HttpRequest, organization_id: int) -> HttpResponse:
    return _siasn_download(request, organization_id, "csv")


@login_required
def siasn_export_xlsx(request: HttpRequest, organization_id: int) -> HttpResponse:
    return _siasn_download(request, organization_id, "xlsx")

"""Pages of development outside courses: the learner's records (list, record, correct, detail
with evidence), the verifier's queue and decisions, and HR's rules for their organization.
Anyone else asking for a record or a rule gets a 404: the page does not say it exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import Action, audit_record
from content.models import competencies_localized
from development import ledger, selectors, services
from development.forms import DecisionForm, RecordForm, RevokeForm, RuleForm
from development.models import DevelopmentForm, DevelopmentRecord, FormRule
from development.permissions import can_verify, can_view
from learners.permissions import organizations_administered
from learners.supervisors import team_members

#: Rows of the learner's records and of the verification queue per page: a supervisor of a large
#: team, or a person with years of records, still gets a light page.
RECORDS_PER_PAGE = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's refusal beside the field it is about (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif (
        getattr(error, "code", None) in services.EVIDENCE_ERRORS and "evidence_file" in form.fields
    ):
        form.add_error("evidence_file", error)
    else:
        form.add_error(None, error)


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    """The learner's own records with their status and JP, and what waits for them to verify."""
    year = timezone.localdate().year
    return TemplateResponse(
        request,
        "development/record_list.html",
        {
            "records": Paginator(selectors.records_of(request.user), RECORDS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "year": year,
            "verified_jp": ledger.verified_jp_in_year(request.user, year),
            "to_verify": selectors.records_to_verify(request.user).count(),
            "has_team": team_members(request.user).exists(),
            "administers": organizations_administered(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest) -> HttpResponse:
    form = RecordForm(_posted(request), _files(request))
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_create(owner=request.user, **form.service_arguments())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your record was sent for verification."))
            return redirect("development:record_detail", record.pk)
    return TemplateResponse(
        request,
        "development/record_form.html",
        {"form": form, "record": None},
        status=400 if form.errors else 200,
    )


def _own_record(request, pk: int) -> DevelopmentRecord:
    return get_object_or_404(
        DevelopmentRecord.objects.select_related("form"), pk=pk, owner=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _own_record(request, pk)
    if not record.is_editable:
        messages.info(request, _("This record has been decided and can no longer change."))
        return redirect("development:record_detail", record.pk)
    form = RecordForm(_posted(request), _files(request), initial=RecordForm.initial_for(record))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(record=record, user=request.user, **form.service_arguments())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved and sent for verification."))
            return redirect("development:record_detail", record.pk)
    return TemplateResponse(
        request,
        "development/record_form.html",
        {"form": form, "record": record},
        status=400 if form.errors else 200,
    )


def _visible_record(request, pk: int) -> DevelopmentRecord:
    record = get_object_or_404(
        DevelopmentRecord.objects.select_related(
            "form", "owner", "owner__organization", "decided_by"
        ),
        pk=pk,
    )
    if not can_view(request.user, record.owner):
        raise Http404
    return record


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_record(request, pk)
    verifier = can_verify(request.user, record.owner)
    return TemplateResponse(
        request,
        "development/record_detail.html",
        {
            "record": record,
            "competencies": competencies_localized(record.competencies.order_by("name")),
            "evidence_files": record.evidence_files.all(),
            "is_owner": record.owner_id == request.user.pk,
            "decide_form": DecisionForm()
            if verifier and record.status == DevelopmentRecord.Status.SUBMITTED
            else None,
            "revoke_form": RevokeForm()
            if verifier and record.status == DevelopmentRecord.Status.VERIFIED
            else None,
        },
    )


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """A record's evidence file, for the owner, their confirmed supervisor and their HR."""
    record = _visible_record(request, pk)
    evidence = get_object_or_404(record.evidence_files, pk=evidence_id)
    if record.owner_id != request.user.pk:
        # The supervisor or HR opened someone's evidence: the owner may read who did (UU PDP).
        audit_record(
            request.user,
            Action.RECORD_VIEWED,
            organization=record.owner.organization_id,
            subject=record.owner,
            target=f"{_('development record')} #{record.pk}",
        )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def evidence_remove(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    record = _own_record(request, pk)
    evidence = get_object_or_404(record.evidence_files, pk=evidence_id)
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file was removed."))
    return redirect("development:record_detail", record.pk)


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    """Records waiting for the user's verification: their confirmed team's, and as HR their
    organizations' people's."""
    return TemplateResponse(
        request,
        "development/verification_queue.html",
        {
            "records": Paginator(
                selectors.records_to_verify(request.user), RECORDS_PER_PAGE
            ).get_page(request.GET.get("page"))
        },
    )


def _verifiable_record(request, pk: int) -> DevelopmentRecord:
    return get_object_or_404(
        selectors.records_verifiable_by(request.user).select_related("owner"), pk=pk
    )


@require_POST
@login_required
def record_decide(request: HttpRequest, pk: int) -> HttpResponse:
    record = _verifiable_record(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("development:record_detail", record.pk)
    decide = {
        "verify": services.record_verify,
        "changes": services.record_request_changes,
        "reject": services.record_reject,
    }[form.cleaned_data["decision"]]
    try:
        decide(record=record, verifier=request.user, note=form.cleaned_data["note"])
    except PermissionDenied as refused:
        raise Http404 from refused
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("development:record_detail", record.pk)
    messages.success(
        request, _("Your decision on the record of %(name)s was saved.") % {"name": record.owner}
    )
    return redirect("development:verification_queue")


@require_POST
@login_required
def record_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    record = _verifiable_record(request, pk)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the verification is revoked."))
        services.record_revoke(
            record=record, verifier=request.user, reason=form.cleaned_data["reason"]
        )
    except PermissionDenied as refused:
        raise Http404 from refused
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The verification was revoked."))
    return redirect("development:record_detail", record.pk)


# HR: the organization's own rules


def _administered(request):
    organizations = organizations_administered(request.user).order_by("name")
    if not organizations.exists():
        raise Http404
    return organizations


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """Each form's rule for one of the user's organizations: its own or the national default."""
    organizations = _administered(request)
    chosen = request.GET.get("organization", "")
    organization = (
        organizations.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    ) or organizations.first()
    forms = list(DevelopmentForm.objects.filter(active=True))
    rules = selectors.rules_for_forms(
        form_ids=[form.pk for form in forms], organization_id=organization.pk
    )
    return TemplateResponse(
        request,
        "development/rule_list.html",
        {
            "organization": organization,
            "organizations": organizations,
            "rows": [(form, rules.get(form.pk)) for form in forms],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, organization_id: int, form_id: int) -> HttpResponse:
    organization = get_object_or_404(_administered(request), pk=organization_id)
    development_form = get_object_or_404(DevelopmentForm, pk=form_id, active=True)
    current = services.rule_for(form=development_form, organization=organization)
    form = RuleForm(
        _posted(request),
        initial={
            "max_jp_per_activity": current.max_jp_per_activity,
            "max_jp_per_year": current.max_jp_per_year,
            "evidence": current.evidence,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_set(
                organization=organization,
                form=development_form,
                user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The rule was saved."))
            return redirect(f"{reverse('development:rule_list')}?organization={organization.pk}")
    return TemplateResponse(
        request,
        "development/rule_edit.html",
        {
            "form": form,
            "organization": organization,
            "development_form": development_form,
            "is_own": current.organization_id == organization.pk,
            "national": FormRule.objects.filter(
                form=development_form, organization__isnull=True
            ).first(),
        },
        status=400 if form.errors else 200,
    )

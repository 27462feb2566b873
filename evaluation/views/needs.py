"""Learning needs as pages: the learner's own needs (draft, edit, submit, delete), their
endorsement by the supervisor or organization admin, and the needs report with its exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import csv_response, xlsx_response
from evaluation import selectors, services
from evaluation.exports import needs_tables
from evaluation.forms import LearningNeedForm, NeedDecisionForm, posted_data
from evaluation.models import LearningNeed
from evaluation.permissions import organizations_for_needs_report
from learners.errors import LearningError
from learners.permissions import is_platform_admin

# Learning needs


def _need_from_form(form: LearningNeedForm) -> dict:
    data = form.cleaned_data
    return {
        "competency": data["competency"],
        "current_level": data["current_level"],
        "target_level": data["target_level"],
        "priority": data["priority"],
        "reason": data["reason"],
        "appraisal_reference": data["appraisal_reference"],
    }


def _submit_requested(request) -> bool | None:
    """True for "submit for endorsement", False for "save as draft", None for anything else."""
    return {"submit": True, "draft": False}.get(request.POST.get("action"))


@login_required
@require_http_methods(["GET", "POST"])
def needs_list(request: HttpRequest) -> HttpResponse:
    """The learner's own learning needs, and a form to record a new one."""
    form = LearningNeedForm(posted_data(request))
    if request.method == "POST":
        submit = _submit_requested(request)
        if submit is None:
            form.add_error(None, _("Choose to save the need as a draft or to submit it."))
        elif form.is_valid():
            try:
                services.learning_need_create(
                    user=request.user, submit=submit, **_need_from_form(form)
                )
            except LearningError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your need was sent to your supervisor for endorsement.")
                    if submit
                    else _("Your need was saved as a draft."),
                )
                return redirect("evaluation:needs_list")
    return TemplateResponse(
        request,
        "evaluation/needs_list.html",
        {
            "needs": selectors.needs_of(request.user),
            "form": form,
            "to_decide": selectors.needs_to_decide(request.user).count(),
            "has_report": organizations_for_needs_report(request.user).exists(),
        },
    )


def _own_need(request, pk: int) -> LearningNeed:
    return get_object_or_404(
        LearningNeed.objects.select_related("competency"), pk=pk, user=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft need, or submit it."""
    need = _own_need(request, pk)
    if not need.is_editable:
        messages.info(request, _("This need has already been submitted and can no longer change."))
        return redirect("evaluation:needs_list")
    form = LearningNeedForm(posted_data(request), initial=LearningNeedForm.initial_for(need))
    if request.method == "POST":
        submit = _submit_requested(request)
        if submit is None:
            form.add_error(None, _("Choose to save the need as a draft or to submit it."))
        elif form.is_valid():
            try:
                services.learning_need_update(
                    need=need, user=request.user, submit=submit, **_need_from_form(form)
                )
            except LearningError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your need was sent to your supervisor for endorsement.")
                    if submit
                    else _("Your changes were saved."),
                )
                return redirect("evaluation:needs_list")
    return TemplateResponse(request, "evaluation/needs_edit.html", {"need": need, "form": form})


@require_POST
@login_required
def need_submit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _own_need(request, pk)
    try:
        services.learning_need_submit(need=need, user=request.user)
    except LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your need was sent to your supervisor for endorsement."))
    return redirect("evaluation:needs_list")


@require_POST
@login_required
def need_delete(request: HttpRequest, pk: int) -> HttpResponse:
    need = _own_need(request, pk)
    try:
        services.learning_need_delete(need=need, user=request.user)
    except LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The draft was deleted."))
    return redirect("evaluation:needs_list")


@login_required
@require_http_methods(["GET", "POST"])
def needs_endorsement(request: HttpRequest) -> HttpResponse:
    """Submitted needs of the supervisor's staff and of the organization admin's people."""
    needs = selectors.needs_to_decide(request.user)
    invalid, invalid_need = None, None
    if request.method == "POST":
        need_id = request.POST.get("need", "")
        # Someone else's need, or one already decided, is not there to decide.
        need = get_object_or_404(needs, pk=int(need_id) if need_id.isdigit() else 0)
        form = NeedDecisionForm(request.POST)
        if form.is_valid():
            endorse = form.cleaned_data["decision"] == "endorse"
            try:
                services.learning_need_decide(
                    need=need,
                    decided_by=request.user,
                    endorse=endorse,
                    note=form.cleaned_data["note"],
                )
            except LearningError as error:
                messages.error(request, error.message)
            else:
                message = (
                    _("The need of %(name)s was endorsed.")
                    if endorse
                    else _("The need of %(name)s was not endorsed.")
                )
                messages.success(request, message % {"name": need.user.full_name})
            return redirect("evaluation:needs_endorsement")
        # Shown again beside the need it was about, with what the endorser typed.
        invalid, invalid_need = form, need.pk
    return TemplateResponse(
        request,
        "evaluation/needs_endorsement.html",
        {
            "needs": needs,
            "invalid": invalid,
            "invalid_need": invalid_need,
            "decided": selectors.needs_decided_by(request.user),
        },
        status=400 if invalid else 200,
    )


# The needs report (organization admins and platform administrators)


def needs_report_scope(request, organizations) -> tuple[object, object]:
    """The organizations the report covers: the one chosen, if allowed, else all allowed.

    Returns (organizations or None for everything, the chosen organization or None).
    """
    chosen = request.GET.get("organization", "")
    if chosen.isdigit():
        organization = organizations.filter(pk=int(chosen)).first()
        if organization is not None:
            return organizations.filter(pk=organization.pk), organization
    return (None if is_platform_admin(request.user) else organizations), None


def needs_export(report, export: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    sheets = needs_tables(report)
    if export == "csv":
        _title, header, rows = sheets[0]
        return csv_response(filename=f"kebutuhan-belajar-{stamp}.csv", header=header, rows=rows)
    return xlsx_response(filename=f"kebutuhan-belajar-{stamp}.xlsx", sheets=sheets)


@login_required
def needs_report(request: HttpRequest, export: str = "") -> HttpResponse:
    """Demand against supply per competency, for the organizations `request.user` administers."""
    organizations = organizations_for_needs_report(request.user)
    if not organizations.exists():
        raise PermissionDenied
    scope, chosen = needs_report_scope(request, organizations)
    report = selectors.needs_report(organizations=scope)
    if export:
        return needs_export(report, export)
    response = TemplateResponse(
        request,
        "evaluation/needs_report.html",
        {
            "report": report,
            "organizations": organizations.order_by("name"),
            "chosen": chosen,
            "query": request.GET.urlencode(),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response

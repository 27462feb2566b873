"""Pages of competency profiles and development plans: the learner's own, their confirmed
supervisor's and their HR's views, and the supervisor's decisions. Anyone else asking for a
person's profile or plan gets a 404: the page does not say it exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import Action, audit_record
from learners.models import User
from planning import selectors, services
from planning.forms import DecisionForm, ItemForm, PlanCreateForm
from planning.models import DevelopmentPlan, PlanItem
from planning.permissions import can_decide_plan, can_view_person


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's refusal beside the field it is about (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _audit_view(request, person: User, what: str) -> None:
    """HR or the supervisor opened someone's profile or plan: the person may read who did."""
    if person.pk != request.user.pk:
        audit_record(
            request.user,
            Action.RECORD_VIEWED,
            organization=person.organization_id,
            subject=person,
            target=what,
        )


def _profile_page(request, person: User) -> HttpResponse:
    profile = selectors.competency_profile(person)
    return TemplateResponse(
        request,
        "planning/profile.html",
        {
            "person": person,
            "own": person.pk == request.user.pk,
            "profile": profile,
            "plans": selectors.plans_of(person),
        },
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """The learner's own competency profile against their position's standard."""
    return _profile_page(request, request.user)


@login_required
def person_profile(request: HttpRequest, user_id: int) -> HttpResponse:
    """A person's profile, for their confirmed supervisor and their organization's HR."""
    person = get_object_or_404(
        User.objects.select_related("organization", "position", "work_unit"), pk=user_id
    )
    if person.pk == request.user.pk:
        return redirect("planning:my_profile")
    if not can_view_person(request.user, person):
        raise Http404
    _audit_view(request, person, _("competency profile"))
    return _profile_page(request, person)


@login_required
@require_http_methods(["GET", "POST"])
def plan_index(request: HttpRequest) -> HttpResponse:
    """The learner's plans, and starting the plan of this year or the next."""
    plans = list(selectors.plans_of(request.user))
    taken = {plan.year for plan in plans}
    years = tuple(year for year in services.plan_years(timezone.localdate()) if year not in taken)
    form = PlanCreateForm(request.POST if request.method == "POST" else None, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, year=form.cleaned_data["year"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your plan was started. Add its activities."))
            return redirect("planning:plan_detail", plan.pk)
    return TemplateResponse(
        request,
        "planning/plan_index.html",
        {"plans": plans, "form": form if years else None},
        status=400 if form.errors else 200,
    )


def _visible_plan(request, pk: int) -> DevelopmentPlan:
    plan = get_object_or_404(
        DevelopmentPlan.objects.select_related(
            "user", "user__organization", "user__work_unit", "agreed_by"
        ),
        pk=pk,
    )
    if not can_view_person(request.user, plan.user):
        raise Http404
    return plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan, its activities against what realised them, and what its viewer may do."""
    plan = _visible_plan(request, pk)
    own = plan.user_id == request.user.pk
    if not own:
        _audit_view(request, plan.user, f"{_('development plan')} {plan.year}")
    deciding = can_decide_plan(request.user, plan.user) and plan.status in (
        DevelopmentPlan.Status.SUBMITTED,
        DevelopmentPlan.Status.AGREED,
    )
    return TemplateResponse(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "own": own,
            "realisation": selectors.plan_realisation(plan, today=timezone.localdate()),
            "decide_form": DecisionForm() if deciding else None,
        },
    )


def _own_editable_plan(request, pk: int) -> DevelopmentPlan:
    return get_object_or_404(DevelopmentPlan, pk=pk, user=request.user)


def _item_page(request, plan: DevelopmentPlan, item: PlanItem | None) -> HttpResponse:
    if not plan.is_editable:
        messages.info(
            request,
            _(
                "This plan is waiting for your supervisor or has been agreed: it can change "
                "again only once your supervisor returns it."
            ),
        )
        return redirect("planning:plan_detail", plan.pk)
    posted = request.POST if request.method == "POST" else None
    form = ItemForm(
        posted,
        owner=request.user,
        initial=ItemForm.initial_for(item) if item else {"target_date": None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                services.item_add(plan=plan, user=request.user, **form.cleaned_data)
            else:
                services.item_update(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("planning:plan_detail", plan.pk)
    return TemplateResponse(
        request,
        "planning/item_form.html",
        {"form": form, "plan": plan, "item": item},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, _own_editable_plan(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    plan = _own_editable_plan(request, pk)
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=item_id, plan=plan)
    return _item_page(request, plan, item)


@require_POST
@login_required
def item_delete(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    plan = _own_editable_plan(request, pk)
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=item_id, plan=plan)
    try:
        services.item_remove(item=item, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The activity was removed."))
    return redirect("planning:plan_detail", plan.pk)


@require_POST
@login_required
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _own_editable_plan(request, pk)
    try:
        services.plan_submit(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your plan was sent to your supervisor."))
    return redirect("planning:plan_detail", plan.pk)


@require_POST
@login_required
def plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmed supervisor agrees or returns a plan; anyone else gets a 404."""
    plan = get_object_or_404(DevelopmentPlan.objects.select_related("user"), pk=pk)
    if not can_decide_plan(request.user, plan.user):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("planning:plan_detail", plan.pk)
    decide = {"agree": services.plan_agree, "return": services.plan_return}[
        form.cleaned_data["decision"]
    ]
    try:
        decide(plan=plan, supervisor=request.user, note=form.cleaned_data["note"])
    except PermissionDenied as refused:
        raise Http404 from refused
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("planning:plan_detail", plan.pk)
    messages.success(
        request, _("Your decision on the plan of %(name)s was saved.") % {"name": plan.user}
    )
    return redirect("planning:team_plans")


@login_required
def team_plans(request: HttpRequest) -> HttpResponse:
    """The plans of the user's confirmed team for a year, those waiting for them first."""
    year = timezone.localdate().year
    chosen = request.GET.get("year", "")
    if chosen.isdigit() and 2000 <= int(chosen) <= 2100:
        year = int(chosen)
    return TemplateResponse(
        request,
        "planning/team_plans.html",
        {"rows": selectors.team_plans(request.user, year), "year": year},
    )

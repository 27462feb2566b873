"""Pages of coaching and mentoring: my agreements (as coachee and as coach), proposing one,
accepting or ending it, an agreement with its sessions, logging and confirming a session.
Only the two parties see an agreement; anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coaching import selectors, services
from coaching.forms import AgreementForm, SessionForm
from coaching.models import CoachingAgreement, CoachingSession
from coaching.permissions import party_q


def _posted(request):
    return request.POST if request.method == "POST" else None


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's refusal beside the field it is about (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _agreement(request, pk: int) -> CoachingAgreement:
    return get_object_or_404(CoachingAgreement.objects.filter(party_q(request.user)), pk=pk)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    """The learner's agreements as coachee and as coach, and how many sessions wait for them."""
    agreements = list(selectors.agreements_of(request.user))
    return TemplateResponse(
        request,
        "coaching/agreement_list.html",
        {
            "as_coachee": [a for a in agreements if a.coachee_id == request.user.pk],
            "as_coach": [a for a in agreements if a.coach_id == request.user.pk],
            "to_confirm": selectors.sessions_to_confirm(request.user).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_propose(proposer=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your proposal was sent; the other person accepts it."))
            return redirect("coaching:agreement_detail", agreement.pk)
    return TemplateResponse(
        request,
        "coaching/agreement_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An agreement with its sessions, their confirmations and the records they became."""
    agreement = selectors.agreement_for(request.user, pk)
    if agreement is None:
        raise Http404
    role = agreement.role_of(request.user)
    sessions = list(agreement.sessions.all())
    for session in sessions:
        session.mine_to_confirm = session.confirmed_by(role) is None
    return TemplateResponse(
        request,
        "coaching/agreement_detail.html",
        {
            "agreement": agreement,
            "role": role,
            "is_coachee": role == CoachingAgreement.Role.COACHEE,
            "other": agreement.coach
            if role == CoachingAgreement.Role.COACHEE
            else agreement.coachee,
            "may_accept": agreement.status == CoachingAgreement.Status.PROPOSED
            and agreement.proposed_by != role,
            "sessions": sessions,
            "may_log": agreement.status == CoachingAgreement.Status.ACTIVE,
        },
    )


@login_required
@require_POST
def agreement_accept(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    try:
        services.agreement_accept(agreement=agreement, user=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The agreement is active: sessions can be logged."))
    return redirect("coaching:agreement_detail", agreement.pk)


@login_required
@require_POST
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    services.agreement_end(agreement=agreement, user=request.user)
    messages.success(request, _("The agreement has ended: it takes no new sessions."))
    return redirect("coaching:agreement_detail", agreement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    form = SessionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.session_log(agreement=agreement, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The session was logged; the other person is asked to confirm it.")
            )
            return redirect("coaching:agreement_detail", agreement.pk)
    return TemplateResponse(
        request,
        "coaching/session_form.html",
        {"form": form, "agreement": agreement},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def session_confirm(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    session = get_object_or_404(CoachingSession, pk=session_id, agreement=agreement)
    try:
        session = services.session_confirm(session=session, user=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        if session.record_id:
            messages.success(
                request,
                _("The session is confirmed by both of you and is now a development record."),
            )
        else:
            messages.success(request, _("You confirmed the session."))
    return redirect("coaching:agreement_detail", agreement.pk)

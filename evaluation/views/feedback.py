"""Public feedback pages (no sign-in): where citizens find their service unit, its feedback
form (limited per client address, with a honeypot) and the thanks page."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from evaluation import selectors, services
from evaluation.forms import PublicFeedbackForm, posted_data
from evaluation.models import ServiceUnit
from learners.errors import LearningError


def _client_address(request) -> str:
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def feedback_index(request: HttpRequest) -> HttpResponse:
    """Where citizens find their service unit's feedback form: every open form, by organization."""
    return TemplateResponse(
        request,
        "evaluation/feedback_index.html",
        {"organizations": selectors.service_units_by_organization()},
    )


@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, unit_slug: str) -> HttpResponse:
    """A citizen rates a service unit; limited per client address and protected by a honeypot."""
    unit = get_object_or_404(
        ServiceUnit.objects.select_related("organization"), slug=unit_slug, public=True
    )
    aspects = services.feedback_aspects_for(unit)
    form = PublicFeedbackForm(posted_data(request), aspects=aspects)
    if request.method == "POST":
        client_hash = services.feedback_client_hash(_client_address(request))
        if not services.public_feedback_allowed(unit=unit, client_hash=client_hash):
            response = TemplateResponse(
                request, "evaluation/feedback_limited.html", {"unit": unit}, status=429
            )
            response["Retry-After"] = str(services.FEEDBACK_WINDOW_SECONDS)
            return response
        if form.is_robot:
            # Answered as a success, so robots learn nothing; nothing is stored.
            services.public_feedback_count_attempt(unit=unit, client_hash=client_hash)
            return redirect("evaluation:feedback_thanks", unit_slug=unit.slug)
        if form.is_valid():
            services.public_feedback_count_attempt(unit=unit, client_hash=client_hash)
            try:
                services.public_feedback_create(
                    unit=unit,
                    rating=form.cleaned_data["rating"],
                    aspects=list(form.cleaned_data["aspects"]),
                    comment=form.cleaned_data["comment"],
                    client_hash=client_hash,
                )
            except LearningError as error:
                form.add_error(None, error.message)
            else:
                return redirect("evaluation:feedback_thanks", unit_slug=unit.slug)
    return TemplateResponse(
        request,
        "evaluation/feedback_form.html",
        {"unit": unit, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def feedback_thanks(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = get_object_or_404(ServiceUnit.objects.select_related("organization"), slug=unit_slug)
    return TemplateResponse(request, "evaluation/feedback_thanks.html", {"unit": unit})

"""The supervisor's and HR's answers to supervisor links (saya/atasan/). Thin: the rules live in
learners.supervisors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from learners import supervisors
from learners.errors import LearningError


@login_required
def supervisor_requests(request):
    """People who named the signed-in person as their supervisor, and, for HR of organizations
    that ask for it, links waiting for HR's confirmation."""
    as_supervisor = supervisors.supervisor_requests_for(request.user)
    as_hr = supervisors.supervisor_links_to_confirm(request.user)
    if request.method == "POST":
        raw_id = request.POST.get("learner", "")
        learner = get_object_or_404(
            (as_supervisor | as_hr).filter(Q(pk=int(raw_id)) if raw_id.isdigit() else Q(pk=None))
        )
        decision = request.POST.get("decision")
        if decision not in ("accept", "decline"):
            messages.error(request, _("Choose accept or decline."))
            return redirect("learners:supervisor_requests")
        try:
            supervisors.supervisor_link_decide(
                learner=learner, decided_by=request.user, accept=decision == "accept"
            )
        except LearningError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                (
                    _("The supervisor link of %(name)s was confirmed.")
                    if decision == "accept"
                    else _("The supervisor link of %(name)s was declined.")
                )
                % {"name": learner.full_name},
            )
        return redirect("learners:supervisor_requests")
    return TemplateResponse(
        request,
        "learners/supervisor_requests.html",
        {"as_supervisor": as_supervisor, "as_hr": as_hr},
    )

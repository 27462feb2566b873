"""The supervisor's team pages (saya/tim/): the team and one member. Only the confirmed direct
supervisor sees a member: anyone else gets a 404, which does not say the person exists. The
enrollment requests shown here are decided by `learners:enrollment_requests`, which comes back
here."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from development.ledger import current_year
from team import selectors


@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    """Each person of the user's confirmed team, 50 a page: JP this year against their target
    (or cap), what waits for the supervisor, their courses in progress, and the team's oldest
    enrollment requests."""
    return TemplateResponse(
        request,
        "team/my_team.html",
        {
            "team": selectors.team_overview(
                request.user, current_year(), page_number=request.GET.get("page")
            )
        },
    )


@login_required
def member_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """One person of the user's confirmed team: this year's ledger, enrollments with progress,
    records and needs waiting, enrollment requests and coaching agreements with the user."""
    member = selectors.team_member(request.user, user_id)
    if member is None:
        raise Http404
    return TemplateResponse(
        request,
        "team/member_detail.html",
        {"overview": selectors.member_overview(request.user, member, current_year())},
    )

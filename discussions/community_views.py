"""Pages of the communities of practice: the list, a community's topics (and joining or
leaving it), its resources, its events, and a member's claim of participation. Thin: the rules
are in `discussions.communities` and `discussions.services`; who sees what in
`discussions.permissions` (a community's content is for its members and moderators, 404 for
anyone else). Topics open on the discussions' own thread page."""

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from content.models import with_competency_names
from discussions import communities, selectors, services
from discussions.errors import DiscussionError
from discussions.forms import ClaimForm, EventForm, ResourceForm, TopicForm
from discussions.models import (
    CLAIM_HOURS_PER_DAY_MAX,
    CLAIM_PERIOD_DAYS_MAX,
    Community,
    CommunityEvent,
    CommunityResource,
)
from discussions.permissions import Access, community_access
from discussions.views import PER_PAGE, RATE_LIMIT_ACTION


def _community(slug: str) -> Community:
    # The competency under its name in the reader's language, in the same query.
    return get_object_or_404(
        with_competency_names(Community.objects.filter(active=True).select_related("competency")),
        slug=slug,
    )


def _member_community(request: HttpRequest, slug: str) -> tuple[Community, Access]:
    community = _community(slug)
    access = community_access(request.user, community=community)
    if not access.can_view:
        raise Http404
    return community, access


def _form_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form's fields (or above it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def community_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.communities_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(request, "discussions/community_list.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone signed in sees what the community is and may join; members and moderators see
    its topics (20 a page), its next events, and open a topic."""
    community = _community(slug)
    access = community_access(request.user, community=community)
    if request.method == "POST" and not access.can_post:
        raise Http404
    form = TopicForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if limited := consume_or_429(request, action=RATE_LIMIT_ACTION):
            return limited
        if form.is_valid():
            try:
                thread = services.thread_create(
                    author=request.user,
                    community=community,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except DiscussionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your topic is posted."))
                return redirect("discussions:thread", thread.pk)
    context = {"community": community, "access": access, "form": form}
    if access.can_view:
        context["page_obj"] = Paginator(
            selectors.threads_of(community=community), PER_PAGE
        ).get_page(request.GET.get("page"))
        context["events"] = list(selectors.upcoming_events(community)[:3])
    return TemplateResponse(
        request,
        "discussions/community.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    communities.community_join(community=community, user=request.user)
    messages.success(request, _("Welcome to the community."))
    return redirect("discussions:community", community.slug)


@login_required
@require_POST
def community_leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    communities.community_leave(community=community, user=request.user)
    messages.success(request, _("You left the community."))
    return redirect("discussions:communities")


@login_required
@require_http_methods(["GET", "POST"])
def community_resources(request: HttpRequest, slug: str) -> HttpResponse:
    community, access = _member_community(request, slug)
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST":
        if limited := consume_or_429(request, action=RATE_LIMIT_ACTION):
            return limited
        if form.is_valid():
            data = form.cleaned_data
            try:
                communities.resource_create(
                    community=community,
                    author=request.user,
                    title=data["title"],
                    description=data["description"],
                    url=data["url"],
                    file=data["file"],
                )
            except DiscussionError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The resource is shared with the community."))
                return redirect("discussions:community_resources", community.slug)
    page = Paginator(
        selectors.community_resources(community, moderator=access.moderator), PER_PAGE
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "discussions/community_resources.html",
        {"community": community, "access": access, "page_obj": page, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _resource_and_access(request: HttpRequest, resource_id: int):
    resource = get_object_or_404(
        CommunityResource.objects.select_related("community"),
        pk=resource_id,
        community__active=True,
    )
    access = community_access(request.user, community=resource.community)
    if not access.can_view or (resource.hidden_at and not access.moderator):
        raise Http404
    return resource, access


@login_required
def resource_download(request: HttpRequest, resource_id: int) -> FileResponse:
    """A resource's file, for the community's members and moderators, as an attachment."""
    resource, _access = _resource_and_access(request, resource_id)
    if not resource.file:
        raise Http404
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.original_name,
        content_type=resource.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def resource_hide(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource, access = _resource_and_access(request, resource_id)
    if not access.moderator:
        raise Http404
    hidden = request.POST.get("hidden") != "0"
    communities.resource_hide(resource=resource, moderator=request.user, hidden=hidden)
    messages.success(
        request, _("The resource is hidden.") if hidden else _("The resource is shown again.")
    )
    return redirect("discussions:community_resources", resource.community.slug)


@login_required
@require_http_methods(["GET", "POST"])
def community_events(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's coming events; its moderators announce new ones here."""
    community, access = _member_community(request, slug)
    if request.method == "POST" and not access.moderator:
        raise Http404
    form = EventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if limited := consume_or_429(request, action=RATE_LIMIT_ACTION):
            return limited
        if form.is_valid():
            try:
                communities.event_create(
                    community=community, author=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The event is announced."))
                return redirect("discussions:community_events", community.slug)
    page = Paginator(selectors.upcoming_events(community), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "discussions/community_events.html",
        {"community": community, "access": access, "page_obj": page, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(
        CommunityEvent.objects.select_related("community"), pk=event_id, community__active=True
    )
    if not community_access(request.user, community=event.community).moderator:
        raise Http404
    communities.event_cancel(event=event, moderator=request.user)
    messages.success(request, _("The event is cancelled."))
    return redirect("discussions:community_events", event.community.slug)


@login_required
@require_http_methods(["GET", "POST"])
def participation_claim(request: HttpRequest, slug: str) -> HttpResponse:
    """A member claims their participation as a development record (members only)."""
    community, access = _member_community(request, slug)
    if not access.participant:
        raise Http404
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = communities.participation_claim(
                community=community, member=request.user, **form.cleaned_data
            )
        except DiscussionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your participation is recorded and sent to your supervisor for verification."),
            )
            return redirect("development:record_detail", claim.record_id)
    return TemplateResponse(
        request,
        "discussions/community_claim.html",
        {
            "community": community,
            "access": access,
            "form": form,
            "claims": selectors.claims_of(community=community, member=request.user),
            "hours_max": CLAIM_HOURS_PER_DAY_MAX,
            "days_max": CLAIM_PERIOD_DAYS_MAX,
        },
        status=400 if form.is_bound and form.errors else 200,
    )

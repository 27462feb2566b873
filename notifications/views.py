"""A person's notifications page and its actions. Everything is the signed-in person's own:
nobody reaches, or marks, anyone else's (another's notification answers 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from content.inputs import id_parse
from notifications import selectors, services
from notifications.forms import PreferenceForm

PER_PAGE = 20


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, 20 a page: a count, a page, the unread count
    (cached) and the digest preference, however many there are."""
    page = Paginator(selectors.notification_list(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    preference = selectors.notification_preference(user=request.user)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "preference_form": PreferenceForm(instance=preference),
        },
    )


def _back_to_list(request: HttpRequest) -> HttpResponse:
    # Back to the page of the list the button was on.
    page = request.POST.get("page", "")
    response = redirect("notifications:list")
    if page.isdigit() and page != "1":
        response["Location"] += f"?page={page}"
    return response


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    if id_parse(notification_id) is None:
        raise Http404
    if services.notification_mark_read(user=request.user, notification_id=notification_id) is None:
        raise Http404
    return _back_to_list(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return _back_to_list(request)


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """Save the digest preference, from the profile page or the notifications page."""
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.notification_preference_set(
            user=request.user, daily_digest=form.cleaned_data["daily_digest"]
        )
        messages.success(request, _("Your notification settings have been saved."))
    if request.POST.get("next") == "profile":
        return redirect("learners:profile")
    return redirect("notifications:list")

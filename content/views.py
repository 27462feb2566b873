"""The data-saver toggle: a plain POST form in every page's footer (no JavaScript needed)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from content.data_saver import ON, remember_choice


@require_POST
def data_saver_toggle(request: HttpRequest) -> HttpResponse:
    """Switch data-saver mode on or off on this device and go back to the page the learner was
    on; `next` must stay on this site (no open redirect)."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("wagtail_serve", args=[""])
    response = redirect(next_url)
    remember_choice(response, on=request.POST.get("data_saver") == ON)
    return response

"""The data-saver toggle: a plain POST form in every page's footer (no JavaScript needed)."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from content.data_saver import ON, remember_choice


def _local_path(request: HttpRequest, url: str) -> bool:
    """Whether `url` is a path on this site: absolute, without a scheme or another host, and
    without control characters (which cannot go into a Location header)."""
    return (
        url.startswith("/")
        and not any(ord(character) < 32 or ord(character) == 127 for character in url)
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


@require_POST
def data_saver_toggle(request: HttpRequest) -> HttpResponse:
    """Switch data-saver mode on or off on this device and go back to the page the learner was
    on; `next` must stay on this site (no open redirect)."""
    next_url = request.POST.get("next", "")
    if not _local_path(request, next_url):
        next_url = reverse("wagtail_serve", args=[""])
    response = HttpResponseRedirect(next_url)
    remember_choice(response, on=request.POST.get("data_saver") == ON)
    return response

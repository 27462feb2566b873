"""Data-saver mode: pages that cost less on a slow or metered link.

It is on when the browser sends `Save-Data: on` (a phone's data-saver setting) unless the learner
switched it off here, or when the learner switched it on with the toggle in the footer (a plain
POST form, so it works without JavaScript). The choice is kept in a cookie, for anonymous and
signed-in learners alike. Pages then load figures on request, never autoplay and show links
instead of embedded players (templates/blocks/).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

COOKIE_NAME = "lentera_data_saver"
ON, OFF = "on", "off"
# A year: the choice is about the learner's connection, which rarely changes.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def data_saver_wanted(request: HttpRequest) -> bool:
    """Whether this request's page should be the light one: the learner's own choice first,
    else the browser's `Save-Data` hint."""
    choice = request.COOKIES.get(COOKIE_NAME)
    if choice in (ON, OFF):
        return choice == ON
    return request.headers.get("Save-Data", "").strip().lower() == ON


def remember_choice(response: HttpResponseBase, on: bool) -> None:
    """Keep the learner's choice on this device."""
    response.set_cookie(
        COOKIE_NAME,
        ON if on else OFF,
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,  # only the server reads it
        samesite="Lax",
    )


class DataSaverMiddleware:
    """Sets `request.data_saver` and marks HTML as depending on it.

    Every HTML page shows the toggle in its footer, so every HTML page varies with the header
    and the cookie: a cache in between must not give a data-saver page to someone without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.data_saver = data_saver_wanted(request)
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Save-Data", "Cookie"))
        return response

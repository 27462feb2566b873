"""Requests refused before any view sees them."""

from django.utils.translation import gettext as _

from content.inputs import CONTROL_CHARACTERS, InvalidInput

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _texts(data):
    for key, values in data.lists():
        yield key
        yield from values


class ControlCharactersRefused:
    """A 400 for control characters in the path or the query string, and for NUL in a form
    field: no link or one-line search box carries them, no database stores NUL (PostgreSQL
    refuses it, SQLite's full-text search fails on it), and they once reached raw SQL as 500s.
    Text areas keep their tabs and line breaks; what a one-line field accepts is its form's
    business (`content.inputs.SingleLineValidator`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTERS.search(request.path) or any(
            CONTROL_CHARACTERS.search(text) for text in _texts(request.GET)
        ):
            raise InvalidInput(_("The address contains control characters, which no page accepts."))
        # The APIs read their bodies themselves (JSON): parsing a form here would use the body up.
        posted_form = (
            request.method == "POST"
            and request.content_type in _FORM_TYPES
            and not request.path.startswith("/api/")
        )
        if posted_form and any("\x00" in text for text in _texts(request.POST)):
            raise InvalidInput(_("The form contains a NUL character, which no field accepts."))
        return self.get_response(request)

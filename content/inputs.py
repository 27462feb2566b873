"""Checks on what people send (query strings, form fields, ids), shared by every app: bad input
gets a clear answer in the user's language (a 400 or a form error), never a server error.

Database ids are 64-bit signed integers: SQLite cannot even bind a larger Python int (an
OverflowError, a 500), so an id parsed from a request goes through `id_parse`.
"""

import re

from django.core.exceptions import BadRequest, ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: The largest value of a BigAutoField (and of any integer column) on every supported database.
ID_MAX = 2**63 - 1

_ID = re.compile(r"[0-9]{1,19}")  # ASCII digits only: str.isdigit() also accepts "²" and "١"

#: C0 control characters and DEL, except tab, line feed and carriage return (text areas).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Every C0 control character and DEL, line breaks and tabs included: single-line fields.
LINE_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


class InvalidInput(BadRequest):
    """A request Lentera cannot act on; its message is shown to the user (translated).

    Raised anywhere in a request, it becomes a 400 page (or a JSON error under /api/) through
    `lentera.views.bad_request`.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def id_parse(value: object) -> int | None:
    """A database id from a request value ("42"), or None when it is not one: not a whole
    number of ASCII digits, zero, or beyond what an id column holds."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= ID_MAX else None


def ids_parse(values, *, limit: int) -> list[int]:
    """The valid ids among `values` (see `id_parse`), at most `limit` of them; the rest are
    dropped, as links get shared and edited."""
    parsed = (id_parse(value) for value in values)
    return [number for number in parsed if number is not None][:limit]


@deconstructible
class SingleLineValidator:
    """A one-line value (a name, a title, a subject): no line breaks, tabs or other control
    characters. A newline in a name once ended up in an e-mail header and broke every later
    e-mail of the day."""

    message = _("Use a single line, without line breaks or control characters.")
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and LINE_CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, SingleLineValidator)


validate_single_line = SingleLineValidator()


def single_line(value: str) -> str:
    """`value` with line breaks and control characters turned into spaces: for text that is
    already stored (older rows) on its way into a one-line place such as an e-mail header."""
    return " ".join(LINE_CONTROL_CHARACTERS.sub(" ", value or "").split())

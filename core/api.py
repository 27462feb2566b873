"""The shared plumbing of the learner API (/api/v1/), used by every app's router: one error
body (`ErrorOut`: a stable `code` and a `detail` in the user's language), the answers any
operation may give, a body parser for optional JSON, and the handlers that turn django-ninja's
own errors into that body.

It holds no endpoint and imports no app, so each app (learners, quizzes, cohorts, compliance)
declares its router against it, and `lentera.learner_api` assembles the one `NinjaAPI` from them.
"""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser


class OptionalJSONBodyParser(Parser):
    """Bodies are JSON; a request without a JSON body means `{}` (all fields are optional)."""

    def parse_body(self, request: HttpRequest):
        if request.content_type == "application/json" and request.body.strip():
            return super().parse_body(request)
        return {}


class ErrorOut(Schema):
    code: str
    detail: str


class FieldErrorOut(Schema):
    field: str
    code: str
    detail: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut] = []


#: Answers any operation that needs a session may give besides its own, spread into each
#: `response={...}` so the schema declares them: not signed in (401), and invalid input (422)
#: for operations with parameters or a body.
NOT_SIGNED_IN = {401: ErrorOut}
# 400: a body that is not JSON at all; 422: JSON that does not fit the operation.
INVALID_INPUT = {400: ErrorOut, 422: ValidationErrorOut}


# Pydantic's messages are English; these are translated, per error type.
_VALIDATION_MESSAGES = {
    "missing": lambda: _("This field is required."),
    "uuid_parsing": lambda: _("Enter a valid UUID."),
    "uuid_type": lambda: _("Enter a valid UUID."),
    "datetime_parsing": lambda: _("Enter a valid date and time (ISO 8601)."),
    "datetime_from_date_parsing": lambda: _("Enter a valid date and time (ISO 8601)."),
    "datetime_type": lambda: _("Enter a valid date and time (ISO 8601)."),
    "int_parsing": lambda: _("Enter a whole number."),
    "date_parsing": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "date_type": lambda: _("Enter a valid date (YYYY-MM-DD)."),
    "decimal_parsing": lambda: _("Enter a number."),
    "decimal_type": lambda: _("Enter a number."),
    "finite_number": lambda: _("Enter a number."),
    "string_type": lambda: _("Enter text."),
    # Raised by schemas' own checks (pydantic_core.PydanticCustomError with this type).
    "single_line": lambda: _("Use a single line, without line breaks or control characters."),
    "control_characters": lambda: _("Remove the control characters from this text."),
    "json_invalid": lambda: _("The request body is not valid JSON."),
}


def error_handlers_add(api: NinjaAPI) -> None:
    """Give django-ninja's own errors (validation, 404, no session, CSRF, unreadable body) the
    `ErrorOut` body in the user's language; its defaults are English and shaped differently."""

    @api.exception_handler(ValidationError)
    def localized_validation_error(request: HttpRequest, exc: ValidationError):
        errors = [
            {
                "field": ".".join(str(part) for part in error.get("loc", ())[1:]),
                "code": error.get("type", "invalid"),
                "detail": _VALIDATION_MESSAGES.get(
                    error.get("type"), lambda: _("Invalid value.")
                )(),
            }
            for error in exc.errors
        ]
        return api.create_response(
            request,
            {"code": "invalid", "detail": _("Invalid input."), "errors": errors},
            status=422,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        # Same body as every other error (django-ninja's default is {"detail": "Not Found"}).
        return api.create_response(
            request, {"code": "not_found", "detail": _("Not found.")}, status=404
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(
            request,
            {"code": "not_authenticated", "detail": _("Sign in to use this API.")},
            status=401,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        # django-ninja raises HttpError(403, "CSRF check Failed") for a missing CSRF token.
        if exc.status_code == 403:
            body = {"code": "csrf_failed", "detail": _("The CSRF token is missing or incorrect.")}
        elif exc.status_code == 400:
            # django-ninja's "Cannot parse request body": say it in the user's language.
            body = {"code": "bad_request", "detail": _("The request body is not valid JSON.")}
        else:
            body = {
                "code": "invalid" if exc.status_code == 422 else "error",
                "detail": exc.message,
            }
        return api.create_response(request, body, status=exc.status_code)


def coded_errors_add(api: NinjaAPI, *exception_classes: type[Exception]) -> None:
    """Answer an app's own errors that carry a `code`, a translated `message` and an HTTP
    `status` (as `learners.errors.LearningError` does) with that status and `ErrorOut` body:
    the services raise them for the HTML views and the API alike."""

    def coded_error(request: HttpRequest, exc):
        return api.create_response(
            request, {"code": exc.code, "detail": exc.message}, status=exc.status
        )

    for exception_class in exception_classes:
        api.add_exception_handler(exception_class, coded_error)

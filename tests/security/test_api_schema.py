"""The learner API keeps the promises of its own OpenAPI schema (/api/v1/openapi.json).

Schemathesis generates requests for every operation from the schema and sends them, signed in
as a learner with a real session cookie and CSRF token, through Lentera's WSGI application. No
answer may be a server error, and every answer's status and body must be declared in the
schema: an undeclared 401 or 404 is a schema that lies to the API's clients.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from lentera.wsgi import application
from quizzes import services as quiz_services
from quizzes.factories import QuizPageFactory

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def api_schema_learner(provider_a):
    """A learner with something behind every endpoint: a completed course with its certificate,
    an open enrollment and a quiz attempt in progress."""
    learner = UserFactory(
        email="peserta.api@instansi.go.id", full_name="Peserta API", account_kind="pns"
    )
    done = course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Kursus Selesai", modules=1
    )
    services.enrollment_create(user=learner, course=done)
    for lesson in LessonPage.objects.live().descendant_of(done):
        progress.lesson_complete(user=learner, lesson=lesson)
    ongoing = course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Kursus Berjalan", modules=1
    )
    quiz = QuizPageFactory(parent=ongoing.get_children().first(), title="Kuis API")
    services.enrollment_create(user=learner, course=ongoing)
    quiz_services.attempt_start(user=learner, quiz=quiz)
    return learner


@pytest.fixture
def api_schema_connection_kept():
    """Requests go through the real WSGI handler, which closes "old" database connections at
    the start and end of each request; inside a test's transaction that would end the test's
    connection (Django's test client disconnects the same signals)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema_credentials(api_schema_learner) -> dict:
    """The learner's session cookie, and a CSRF cookie with the matching header."""
    client = Client()
    client.force_login(api_schema_learner)
    csrf_token = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf_token},
        # Uncompressed answers: schemathesis reads bodies as they come (compression is tested
        # in tests/content/test_light_link.py).
        "headers": {"X-CSRFToken": csrf_token, "Accept-Encoding": "identity"},
    }


# Loaded when the module is collected: serving the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_learner_api_conforms_to_its_schema(
    case, api_schema_credentials, api_schema_connection_kept
):
    response = case.call_and_validate(
        headers=api_schema_credentials["headers"],
        cookies=api_schema_credentials["cookies"],
        checks=CHECKS,
    )
    # The answers are the signed-in learner's, not a wall of 401s or CSRF refusals.
    assert response.status_code != 401, "The learner's session was not accepted"
    if response.status_code == 403:
        assert response.json()["code"] != "csrf_failed", "The CSRF token was not accepted"

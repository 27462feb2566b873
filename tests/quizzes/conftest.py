"""These tests read the interface's messages in their English source text.

The API tests share a course with a lesson and a quiz (`setup`: a module may give its own, such
as a quiz with three attempts) and a client signed in as the module's `learner`."""

import pytest
from django.test import Client

from courses.factories import provider_page_of
from tests.quizzes.quiz_helpers import course_with_quiz


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def setup(provider_a):
    return course_with_quiz(provider_page_of(provider_a))


@pytest.fixture
def course(setup):
    return setup[0]


@pytest.fixture
def lesson(setup):
    return setup[1]


@pytest.fixture
def quiz(setup):
    return setup[2]


@pytest.fixture
def api(learner):
    client = Client()
    client.force_login(learner)
    return client

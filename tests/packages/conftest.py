"""Fixtures of the package runtime tests (services, API, bounds): a published course of the
provider whose module holds an ordinary lesson and a package lesson, and a learner enrolled in
it. A test class may override `setup` (another package, no ordinary lesson, a pass mark)."""

import pytest
from django.test import Client

from courses.factories import provider_page_of
from tests.packages.runtime_helpers import course_with_package, enrolled


@pytest.fixture
def setup(provider_a):
    """(course, lesson, package_lesson): see runtime_helpers.course_with_package."""
    return course_with_package(provider_page_of(provider_a))


@pytest.fixture
def course(setup):
    return setup[0]


@pytest.fixture
def lesson(setup):
    return setup[1]


@pytest.fixture
def package_lesson(setup):
    return setup[2]


@pytest.fixture
def learner(course):
    return enrolled(course, full_name="Dewi Lestari")


@pytest.fixture
def api(learner):
    """A client signed in as the enrolled learner."""
    client = Client()
    client.force_login(learner)
    return client

"""Discussion fixtures: a learner of course A outside its cohort (the cohort, its trainer and
members and the outsider come from tests/cohort_fixtures.py).

These tests read the interface's messages in their English source text; the Indonesian catalogue
is checked as a whole by tests/lentera/test_translations.py.
"""

import pytest

from learners.factories import UserFactory
from learners.services import enrollment_create


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def learner(course_a):
    """Enrolled in course A at their own pace, in no cohort."""
    user = UserFactory(email="mandiri@instansi.go.id", full_name="Peserta Mandiri")
    enrollment_create(user=user, course=course_a)
    return user

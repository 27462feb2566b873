"""Discussion fixtures: course A with its trainer, a cohort with two members, a learner of the
course outside the cohort, and an outsider.

These tests read the interface's messages in their English source text; the Indonesian catalogue
is checked as a whole by tests/lentera/test_translations.py.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.members import cohort_member_add
from cohorts.services import cohort_create
from learners.factories import UserFactory
from learners.services import enrollment_create


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def trainer(course_a):
    return UserFactory(
        email="widyaiswara@instansi.go.id", full_name="Widyaiswara Satu", trainer_of=course_a
    )


@pytest.fixture
def cohort(course_a, trainer):
    return cohort_create(
        course=course_a,
        name="Angkatan I",
        starts_on=timezone.localdate() - timedelta(days=14),
        ends_on=timezone.localdate() + timedelta(days=15),
        created_by=trainer,
    )


@pytest.fixture
def member(cohort, trainer):
    user = UserFactory(email="anggota1@instansi.go.id", full_name="Anggota Satu")
    cohort_member_add(cohort=cohort, user=user, added_by=trainer)
    return user


@pytest.fixture
def other_member(cohort, trainer):
    user = UserFactory(email="anggota2@instansi.go.id", full_name="Anggota Dua")
    cohort_member_add(cohort=cohort, user=user, added_by=trainer)
    return user


@pytest.fixture
def learner(course_a):
    """Enrolled in course A at their own pace, in no cohort."""
    user = UserFactory(email="mandiri@instansi.go.id", full_name="Peserta Mandiri")
    enrollment_create(user=user, course=course_a)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(email="luar@instansi.go.id", full_name="Orang Luar")

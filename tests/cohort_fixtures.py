"""A running cohort of course A with its trainer and two members, and an outsider, shared by the
tests of the pages around a cohort (discussions, live sessions). A test folder's own fixture of
the same name takes precedence (tests/cohorts has its own). Registered in tests/conftest.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.members import cohort_member_add
from cohorts.services import cohort_create
from learners.factories import UserFactory


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
def outsider(db):
    return UserFactory(email="luar@instansi.go.id", full_name="Orang Luar")

"""Cohort fixtures: a course of four lessons, its trainer, a cohort and learners.

These tests read the interface's messages in their English source text; the Indonesian catalogue
is checked as a whole by tests/lentera/test_translations.py.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.services import cohort_create
from learners.factories import UserFactory


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def trainer(course_a):
    return UserFactory(
        email="widyaiswara@instansi.go.id", full_name="Widyaiswara Satu", trainer_of=course_a
    )


@pytest.fixture
def other_trainer(course_a):
    return UserFactory(email="pelatih.lain@instansi.go.id", full_name="Pelatih Lain")


@pytest.fixture
def cohort(course_a, trainer):
    return cohort_create(
        course=course_a,
        name="Angkatan I",
        # Half way through: 15 of 30 days have passed.
        starts_on=timezone.localdate() - timedelta(days=14),
        ends_on=timezone.localdate() + timedelta(days=15),
        created_by=trainer,
    )


@pytest.fixture
def learners(db):
    return [
        UserFactory(email=f"peserta{n}@instansi.go.id", full_name=f"Peserta {n:02d}")
        for n in range(1, 4)
    ]

"""Assignment fixtures: course A with an assignment lesson (pdf/png files, two criteria worth 10
points, pass mark 60), the cohort, its trainer and members from tests/cohort_fixtures.py, a
trainer of the cohort only and a trainer of course A only. Messages are read in English."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.factories import AssignmentPageFactory
from courses.models import ModulePage
from learners.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def assignment(course_a):
    module = ModulePage.objects.child_of(course_a).first()
    return AssignmentPageFactory(parent=module, title="Rencana aksi unit kerja")


@pytest.fixture
def cohort_only_trainer(cohort):
    """Trains the cohort, not the course: grades the cohort's members only."""
    user = UserFactory(email="pelatih.kelas@instansi.go.id", full_name="Pelatih Kelas")
    cohort.trainers.add(user)
    return user


@pytest.fixture
def course_trainer(course_a):
    """Trains course A, not the cohort: grades every submission of the course."""
    return UserFactory(
        email="pelatih.kursus@instansi.go.id", full_name="Pelatih Kursus", trainer_of=course_a
    )


def pdf(name: str = "rencana.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def scores(assignment, *points: int) -> dict:
    return {
        criterion["id"]: value
        for criterion, value in zip(assignment.criteria(), points, strict=True)
    }

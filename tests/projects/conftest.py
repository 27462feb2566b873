"""People around a change project: the learner in a cohort of a leadership course, their
confirmed supervisor (the mentor), the cohort's trainer (the coach), a second trainer of the
cohort, and the wrong ones (another member, an outsider, a trainer of the course outside the
cohort). The organization and supervisor come from tests/supervision_fixtures.py, the cohort and
its trainer from tests/cohort_fixtures.py."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cohorts.members import cohort_member_add
from courses.models import CoursePage
from learners.factories import UserFactory
from projects import services
from projects.models import ChangeProject
from projects.services import MilestonePlan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "laporan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def plans(count: int = 2) -> list[MilestonePlan]:
    today = timezone.localdate()
    return [
        MilestonePlan(title=f"Tahap {index}", due_on=today + timedelta(days=14 * index))
        for index in range(1, count + 1)
    ]


def proposal(**overrides) -> dict:
    return {
        "title": "Layanan izin usaha dalam satu hari",
        "topic": "public_service",
        "problem": "Izin usaha memakan waktu dua minggu.",
        "goals": "Izin terbit dalam satu hari kerja.",
        "stakeholders": "Dinas perizinan, pelaku usaha.",
        "milestones": plans(),
        **overrides,
    }


@pytest.fixture
def leadership_course(course_a):
    CoursePage.objects.filter(pk=course_a.pk).update(requires_change_project=True)
    course_a.requires_change_project = True
    return course_a


@pytest.fixture
def learner(leadership_course, cohort, trainer, organization, supervisor):
    user = UserFactory(
        email="peserta@ku.go.id",
        full_name="Peserta PKN",
        organization=organization,
        supervised_by=supervisor,
    )
    cohort_member_add(cohort=cohort, user=user, added_by=trainer)
    return user


@pytest.fixture
def mentor(supervisor):
    return supervisor


@pytest.fixture
def coach(trainer):
    return trainer


@pytest.fixture
def second_trainer(cohort):
    user = UserFactory(email="widyaiswara2@instansi.go.id", full_name="Widyaiswara Dua")
    cohort.trainers.add(user)
    return user


@pytest.fixture
def course_trainer(leadership_course):
    """Trains the course, not the learner's cohort."""
    return UserFactory(email="pelatih-lain@instansi.go.id", trainer_of=leadership_course)


@pytest.fixture
def enrollment(learner, leadership_course):
    return learner.enrollments.get(course=leadership_course)


@pytest.fixture
def draft(enrollment, learner) -> ChangeProject:
    return services.project_create(enrollment=enrollment, user=learner, **proposal())


@pytest.fixture
def proposed(draft, learner, coach, trainer) -> ChangeProject:
    services.coach_assign(project=draft, coach=coach, assigned_by=trainer)
    return services.project_submit(project=draft, user=learner)


@pytest.fixture
def in_progress(proposed, mentor, coach) -> ChangeProject:
    services.proposal_review(project=proposed, reviewer=mentor, approve=True)
    return services.proposal_review(project=proposed, reviewer=coach, approve=True)


def accept_all(project: ChangeProject, learner, coach) -> None:
    for milestone in project.milestones.all():
        services.milestone_report(milestone=milestone, user=learner, report="Selesai.")
        services.milestone_review(milestone=milestone, reviewer=coach, accept=True)


@pytest.fixture
def passed(in_progress, learner, coach) -> ChangeProject:
    accept_all(in_progress, learner, coach)
    services.final_submit(project=in_progress, user=learner, final_report="Laporan akhir.")
    return services.project_assess(project=in_progress, coach=coach, score=88, outcome="passed")


@pytest.fixture
def published(passed, learner, coach) -> ChangeProject:
    services.publication_request(
        project=passed, user=learner, public_summary="Izin kini terbit sehari.", consent=True
    )
    return services.publication_approve(project=passed, coach=coach)

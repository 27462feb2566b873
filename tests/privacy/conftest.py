"""Privacy fixtures: a learner with a full history (a certificate, a quiz attempt, a cohort, an
evaluation, a need, a reminder...), another learner, and an organization admin.

These tests read the interface's messages in their English source text; the Indonesian catalogue
is checked as a whole by tests/lentera/test_translations.py.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cohorts.members import cohort_members_add
from cohorts.services import cohort_create, reminders_send
from content.factories import CompetencyFactory, OrganizationFactory
from courses.factories import provider_page_of
from evaluation.models import BehaviourFollowUp
from evaluation.services import course_evaluation_submit, learning_need_create
from learners.certificates import certificate_pdf_store
from learners.factories import UserFactory, completed_enrollment
from learners.models import Certificate
from learners.services import enrollment_create
from quizzes.models import QuizAttempt
from tests.quizzes.quiz_helpers import course_with_quiz

PASSWORD = "lentera-uji-123"  # UserFactory's
SHORT_ANSWER = "Jawaban pribadi saya tentang zona integritas"


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def agency(db):
    return OrganizationFactory(name="Dinas Kesehatan Kota Bandung", short_name="DINKES-BDG")


@pytest.fixture
def other_agency(db):
    return OrganizationFactory(name="Dinas Pendidikan Kota Bogor", short_name="DISDIK-BGR")


@pytest.fixture
def hr_admin(agency):
    return UserFactory(email="sdm@dinkes.go.id", full_name="Admin SDM Dinkes", admin_of=agency)


@pytest.fixture
def other_hr_admin(other_agency):
    return UserFactory(
        email="sdm@disdik.go.id", full_name="Admin SDM Disdik", admin_of=other_agency
    )


def complete_course(user, course) -> Certificate:
    """Enroll and complete every lesson through the services; the certificate is issued."""
    return completed_enrollment(user=user, course=course).certificate


@pytest.fixture
def learner(agency):
    return UserFactory(
        email="siti@dinkes.go.id",
        full_name="Siti Nurhaliza",
        nip="198609262015052001",
        account_kind="pns",
        organization=agency,
        rank_grade="Penata, III/c",
        supervisor_name="Budi Santoso",
        supervisor_email="budi@dinkes.go.id",
    )


@pytest.fixture
def other_learner(other_agency):
    return UserFactory(
        email="joko@disdik.go.id",
        full_name="Joko Widodo Susanto",
        nip="197501012000031002",
        account_kind="pns",
        organization=other_agency,
    )


@pytest.fixture
def trainer(course_b):
    return UserFactory(email="widyaiswara@lan.go.id", full_name="Widyaiswara Satu")


@pytest.fixture
def cohort(course_b, trainer):
    return cohort_create(
        course=course_b,
        name="Angkatan I",
        starts_on=timezone.localdate() - timedelta(days=14),
        ends_on=timezone.localdate() + timedelta(days=15),
        created_by=trainer,
    )


@pytest.fixture
def history(learner, other_learner, course_a, course_b, provider_a, cohort, trainer):
    """Everything a learner can leave behind, and a certificate of another learner."""
    certificate = complete_course(learner, course_a)
    certificate_pdf_store(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    other_certificate = complete_course(other_learner, course_a)
    certificate_pdf_store(certificate_id=other_certificate.pk)

    enrollment = certificate.enrollment
    course_evaluation_submit(
        enrollment=enrollment,
        user=learner,
        relevance=5,
        material_quality=4,
        facilitation=4,
        platform=3,
        applicability=5,
        comment="Materi sangat membantu pekerjaan saya di puskesmas.",
    )
    BehaviourFollowUp.objects.create(
        enrollment=enrollment,
        recipient_email="budi@dinkes.go.id",
        answered_at=timezone.now(),
        ratings={"1": 4},
        average_rating=Decimal("4"),
        comment="Siti kini melayani lebih cepat.",
    )
    need = learning_need_create(
        user=learner,
        competency=CompetencyFactory(),
        current_level=1,
        target_level=3,
        priority="high",
        reason="Saya perlu memahami analisis data kesehatan.",
    )

    _course, _lesson, quiz = course_with_quiz(provider_page_of(provider_a))
    quiz_enrollment, _ = enrollment_create(user=learner, course=_course)
    short_answer_id = next(
        block.id for block in quiz.questions if block.block_type == "short_answer"
    )
    QuizAttempt.objects.create(
        user=learner,
        quiz=quiz,
        enrollment=quiz_enrollment,
        number=1,
        status=QuizAttempt.Status.SUBMITTED,
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        answers={short_answer_id: SHORT_ANSWER},
        points=0,
        max_points=5,
        score=Decimal("0"),
    )

    cohort_members_add(cohort=cohort, users=[learner, other_learner], added_by=trainer)
    reminders_send(cohort=cohort, learner_ids=[learner.pk], sent_by=trainer)
    return {
        "certificate": certificate,
        "other_certificate": Certificate.objects.get(pk=other_certificate.pk),
        "need": need,
        "quiz": quiz,
    }

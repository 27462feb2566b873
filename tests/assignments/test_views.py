"""The assignment pages: the learner's page and submission, files, queues and grading, for each
role (the wrong ones included) and with query counts flat in the queue's size."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import services
from assignments.models import Submission
from cohorts.members import cohort_member_add
from learners.factories import UserFactory
from learners.models import LessonCompletion
from tests.assignments.conftest import PDF, pdf, scores

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_learner_submits_a_file_and_sees_it_waiting(assignment, member):
    client = client_of(member)
    page = client.get(assignment.url)
    assert page.status_code == 200
    assert b"Rubric" in page.content and b"Analisis masalah" in page.content

    response = client.post(
        reverse("assignments:submit", args=[assignment.pk]),
        {"text": "Rencana saya", "files": [pdf()]},
    )

    assert response.status_code == 302
    submission = Submission.objects.get(user=member)
    assert submission.files.count() == 1
    page = client.get(assignment.url)
    assert b"waiting for the trainer" in page.content
    assert b"rencana.pdf" in page.content


def test_a_renamed_file_is_refused_with_the_form_and_its_error(assignment, member):
    response = client_of(member).post(
        reverse("assignments:submit", args=[assignment.pk]),
        {"text": "Rencana", "files": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary")]},
    )
    assert response.status_code == 400
    assert b"Upload the original file" in response.content
    assert not Submission.objects.exists()


def test_an_empty_submission_gets_a_clear_error(assignment, member):
    response = client_of(member).post(reverse("assignments:submit", args=[assignment.pk]), {})
    assert response.status_code == 400
    assert b"The submission is empty" in response.content


def test_someone_not_enrolled_is_sent_back_with_the_reason(assignment, outsider):
    response = client_of(outsider).post(
        reverse("assignments:submit", args=[assignment.pk]), {"text": "Halo"}, follow=True
    )
    assert b"Enroll in this course before submitting" in response.content
    assert not Submission.objects.exists()


def test_the_trainer_grades_and_the_learner_sees_the_grade_and_the_lesson_done(
    assignment, member, trainer
):
    submission = services.submission_create(user=member, assignment=assignment, files=[pdf()])
    trainer_client = client_of(trainer)
    grade_url = reverse("assignments:grade", args=[submission.pk])
    assert trainer_client.get(grade_url).status_code == 200

    data = {f"score_{key}": value for key, value in scores(assignment, 5, 4).items()}
    response = trainer_client.post(
        grade_url, {**data, "feedback": "Sangat jelas", "decision": "grade"}
    )

    assert response.status_code == 302
    assert LessonCompletion.objects.filter(enrollment__user=member, lesson=assignment).exists()
    page = client_of(member).get(assignment.url)
    assert b"90%" in page.content
    assert b"Sangat jelas" in page.content
    assert b"You have passed this assignment" in page.content


def test_a_score_out_of_range_is_refused_on_the_form(assignment, member, trainer):
    submission = services.submission_create(user=member, assignment=assignment, text="Rencana")
    data = {f"score_{key}": value for key, value in scores(assignment, 9, 4).items()}
    response = client_of(trainer).post(
        reverse("assignments:grade", args=[submission.pk]), {**data, "decision": "grade"}
    )
    assert response.status_code == 400
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_files_and_grading_are_for_the_learner_and_their_trainers_only(
    assignment, member, other_member, trainer, cohort_only_trainer, course_trainer, outsider
):
    submission = services.submission_create(user=member, assignment=assignment, files=[pdf()])
    file_url = reverse("assignments:file", args=[submission.files.get().pk])
    grade_url = reverse("assignments:grade", args=[submission.pk])

    for user, file_status, grade_status in [
        (member, 200, 404),
        (trainer, 200, 200),
        (cohort_only_trainer, 200, 200),
        (course_trainer, 200, 200),
        (other_member, 404, 404),
        (outsider, 404, 404),
    ]:
        client = client_of(user)
        response = client.get(file_url)
        assert response.status_code == file_status, user
        if file_status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["X-Content-Type-Options"] == "nosniff"
        assert client.get(grade_url).status_code == grade_status, user
    assert Client().get(file_url).status_code == 302


def test_a_cohort_trainer_grades_their_members_only(assignment, course_a, cohort_only_trainer):
    stranger = UserFactory(email="mandiri@instansi.go.id")
    from learners.services import enrollment_create

    enrollment_create(user=stranger, course=course_a)
    submission = services.submission_create(user=stranger, assignment=assignment, text="Mandiri")
    client = client_of(cohort_only_trainer)
    assert client.get(reverse("assignments:grade", args=[submission.pk])).status_code == 404


def test_queues_answer_their_trainers_only(
    assignment, cohort, member, trainer, cohort_only_trainer, course_trainer, outsider
):
    services.submission_create(user=member, assignment=assignment, text="Rencana")
    course_url = reverse("assignments:course_queue", args=[assignment.get_parent().get_parent().pk])
    cohort_url = reverse("assignments:cohort_queue", args=[cohort.pk])
    assert client_of(course_trainer).get(course_url).status_code == 200
    assert client_of(course_trainer).get(cohort_url).status_code == 404
    assert client_of(cohort_only_trainer).get(cohort_url).status_code == 200
    assert client_of(cohort_only_trainer).get(course_url).status_code == 404
    for user in (member, outsider):
        assert client_of(user).get(course_url).status_code == 404
        assert client_of(user).get(cohort_url).status_code == 404
    response = client_of(trainer).get(cohort_url)
    assert b"Anggota Satu" in response.content


def _members_submit(cohort, trainer, assignment, count: int) -> None:
    for number in range(count):
        user = UserFactory(email=f"peserta{number}.{count}@instansi.go.id")
        cohort_member_add(cohort=cohort, user=user, added_by=trainer)
        services.submission_create(user=user, assignment=assignment, text="Rencana", files=[pdf()])


@pytest.mark.parametrize("count", [2, 12])
def test_the_queue_costs_the_same_queries_whatever_its_size(
    assignment, cohort, trainer, count, django_assert_num_queries
):
    _members_submit(cohort, trainer, assignment, count)
    client = client_of(trainer)
    url = reverse("assignments:cohort_queue", args=[cohort.pk])
    client.get(url)  # warm the session and the site caches
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(url)
    assert response.content.count(b"/pelatih/tugas/") == count


QUEUE_QUERIES = 6


def _versions(assignment, member, trainer, count: int) -> None:
    """`count` versions by `member`, each but the last returned for resubmission."""
    for number in range(count):
        submission = services.submission_create(
            user=member, assignment=assignment, text=f"Versi {number}", files=[pdf()]
        )
        if number < count - 1:
            services.submission_grade(
                submission=submission,
                grader=trainer,
                scores={},
                feedback="Perbaiki",
                return_for_resubmission=True,
            )


def _page_queries(client, assignment) -> int:
    client.get(assignment.url)  # warm the session and the site caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(assignment.url).status_code == 200
    return len(queries)


def test_the_learner_page_costs_the_same_queries_with_one_or_many_versions(
    assignment, member, other_member, trainer
):
    _versions(assignment, member, trainer, 1)
    _versions(assignment, other_member, trainer, 4)
    one = _page_queries(client_of(member), assignment)
    many = _page_queries(client_of(other_member), assignment)
    assert one == many


def test_the_trainers_own_queue_gathers_their_courses_and_cohorts_only(
    assignment, member, course_b, trainer, cohort_only_trainer, outsider
):
    services.submission_create(user=member, assignment=assignment, text="Rencana")
    url = reverse("assignments:queue")
    for user, shown in [(trainer, True), (cohort_only_trainer, True), (outsider, False)]:
        response = client_of(user).get(url)
        assert response.status_code == 200
        assert (b"Anggota Satu" in response.content) is shown, user
    assert b"Nothing to grade." in client_of(outsider).get(url).content


@pytest.mark.parametrize("count", [2, 12])
def test_the_trainers_own_queue_costs_the_same_queries_whatever_its_size(
    assignment, cohort, trainer, count, django_assert_num_queries
):
    _members_submit(cohort, trainer, assignment, count)
    client = client_of(trainer)
    url = reverse("assignments:queue")
    client.get(url)
    with django_assert_num_queries(QUEUE_QUERIES - 2):
        response = client.get(url)
    assert len(re.findall(rb"/pelatih/tugas/\d+/", response.content)) == count

"""The quiz endpoints of the learner API: questions without answers, server-side scoring,
feedback only after submission, and the same permission rules as the pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from learners import progress, services
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment
from quizzes.models import QuizAttempt, QuizPage
from tests.quizzes.quiz_helpers import SECRETS, correct_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(course):
    user = UserFactory(email="api.kuis@instansi.go.id", full_name="Budi Santoso")
    services.enrollment_create(user=user, course=course)
    return user


def start(api, quiz):
    return api.post(f"/api/v1/quizzes/{quiz.pk}/attempts")


def send(api, attempt_id: int, answers: dict):
    return api.post(
        f"/api/v1/attempts/{attempt_id}/submission",
        {"answers": answers},
        content_type="application/json",
    )


def test_openapi_schema_lists_the_quiz_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/quizzes/{quiz_id}/attempts",
        "/api/v1/attempts/{attempt_id}/submission",
        "/api/v1/me/attempts",
    } <= set(paths)


def test_starting_returns_the_questions_without_any_answer(api, quiz):
    response = start(api, quiz)
    assert response.status_code == 200
    content = response.content.decode()
    for secret in SECRETS:
        assert secret not in content, secret
    body = response.json()
    assert body["number"] == 1 and body["status"] == "in_progress" and body["deadline"] is None
    assert [q["kind"] for q in body["questions"]] == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
    ]
    for question in body["questions"]:
        assert set(question) == {"id", "kind", "text", "options", "points"}
        for option in question["options"]:
            assert set(option) == {"id", "text"}
    assert body["questions"][3]["options"] == []
    # Starting again resumes the same attempt.
    assert start(api, quiz).json()["id"] == body["id"]


def test_submitting_returns_score_band_and_feedback(api, quiz, lesson, learner):
    progress.lesson_complete(user=learner, lesson=lesson)
    attempt_id = start(api, quiz).json()["id"]
    response = send(api, attempt_id, correct_answers(quiz))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted" and body["passed"] is True
    assert float(body["score"]) == 100 and (body["points"], body["max_points"]) == (5, 5)
    assert body["pass_band"] == "Sangat Baik"
    assert body["lesson_completed"] and body["course_completed"]
    assert body["certificate_code"] == Certificate.objects.get(enrollment__user=learner).code
    short = body["feedback"][3]
    assert short["correct"] and "Zona Integritas" in short["correct_answer"]
    assert short["explanation"].startswith("PENJELASAN-RAHASIA")
    single = body["feedback"][0]
    assert [o["is_correct"] for o in single["options"]].count(True) == 1
    assert single["answer"] == single["correct_answer"]


def test_a_wrong_submission_fails_and_the_course_stays_open(api, quiz, lesson, learner):
    progress.lesson_complete(user=learner, lesson=lesson)
    attempt_id = start(api, quiz).json()["id"]
    body = send(api, attempt_id, {}).json()
    assert body["passed"] is False and body["pass_band"] == ""
    assert not body["lesson_completed"] and not body["course_completed"]
    assert body["certificate_code"] is None
    assert all(not item["correct"] for item in body["feedback"])
    assert Enrollment.objects.get(user=learner).status == Enrollment.Status.ACTIVE


def test_replaying_a_submission_is_refused(api, quiz):
    attempt_id = start(api, quiz).json()["id"]
    send(api, attempt_id, {})
    replay = send(api, attempt_id, correct_answers(quiz))
    assert replay.status_code == 409 and replay.json()["code"] == "already_submitted"
    assert QuizAttempt.objects.get(pk=attempt_id).points == 0


def test_another_learners_attempt_is_404_and_unchanged(api, quiz, course):
    attempt_id = start(api, quiz).json()["id"]
    intruder = UserFactory(email="api.penyusup@instansi.go.id")
    services.enrollment_create(user=intruder, course=course)
    other = Client()
    other.force_login(intruder)
    assert send(other, attempt_id, correct_answers(quiz)).status_code == 404
    attempt = QuizAttempt.objects.get(pk=attempt_id)
    assert attempt.status == QuizAttempt.Status.IN_PROGRESS and attempt.answers == {}
    assert other.get("/api/v1/me/attempts").json() == []


def test_a_late_submission_is_refused(api, quiz):
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=10)
    body = start(api, quiz).json()
    assert body["deadline"] is not None
    QuizAttempt.objects.filter(pk=body["id"]).update(deadline=timezone.now() - timedelta(minutes=5))
    response = send(api, body["id"], correct_answers(quiz))
    assert response.status_code == 409 and response.json()["code"] == "expired"
    attempt = QuizAttempt.objects.get(pk=body["id"])
    assert attempt.status == QuizAttempt.Status.EXPIRED and attempt.score is None


def test_attempt_limit_and_enrollment_are_enforced(api, quiz, client):
    QuizPage.objects.filter(pk=quiz.pk).update(max_attempts=1)
    send(api, start(api, quiz).json()["id"], {})
    refused = start(api, quiz)
    assert refused.status_code == 403 and refused.json()["code"] == "attempts_exhausted"

    stranger = Client()
    stranger.force_login(UserFactory(email="api.tamu@instansi.go.id"))
    refused = start(stranger, quiz)
    assert refused.status_code == 403 and refused.json()["code"] == "not_enrolled"
    assert client.post(f"/api/v1/quizzes/{quiz.pk}/attempts").status_code == 401


def test_unsafe_requests_need_the_csrf_token(learner, quiz):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(f"/api/v1/quizzes/{quiz.pk}/attempts").status_code == 403
    assert not QuizAttempt.objects.exists()


def test_malformed_answers_are_rejected_with_422(api, quiz):
    attempt_id = start(api, quiz).json()["id"]
    response = send(api, attempt_id, {"x": 42})
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert QuizAttempt.objects.get(pk=attempt_id).status == QuizAttempt.Status.IN_PROGRESS


def test_a_lesson_id_that_is_not_a_quiz_is_404(api, lesson):
    assert api.post(f"/api/v1/quizzes/{lesson.pk}/attempts").status_code == 404


def test_my_attempts_lists_mine_newest_first(api, quiz):
    # A practice quiz: a passed post-test cannot be taken again.
    QuizPage.objects.filter(pk=quiz.pk).update(role=QuizPage.Role.PRACTICE)
    first = start(api, quiz).json()["id"]
    send(api, first, correct_answers(quiz))
    second = start(api, quiz).json()["id"]
    attempts = api.get("/api/v1/me/attempts").json()
    assert [a["id"] for a in attempts] == [second, first]
    assert attempts[1]["passed"] and attempts[1]["pass_band"] == "Sangat Baik"
    assert attempts[0]["status"] == "in_progress" and attempts[0]["score"] is None
    assert api.get("/api/v1/me/attempts", {"quiz_id": quiz.pk + 1000}).json() == []

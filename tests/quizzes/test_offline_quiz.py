"""Untimed quizzes answered offline (issue 17): the quiz paper a device stores carries the
questions and a signed token but never an answer key; the answers sent back when online are
scored on the server as one attempt, under the rules of an online attempt, and sending them
again counts nothing twice. Timed quizzes say they need a connection."""

import time
import uuid
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from courses.factories import LessonPageFactory, provider_page_of
from learners import progress, services
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment, LearningRecord, LessonCompletion
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt, QuizPage
from tests.quizzes.quiz_helpers import (
    ACCEPTED_ANSWERS,
    EXPLANATION_MARK,
    correct_answers,
    course_with_quiz,
    four_questions,
    option_ids,
    questions_of,
)
from tests.utils import race

pytestmark = pytest.mark.django_db

# What an answer key is made of, by key and by value: none of it may reach the device.
SECRET_KEYS = {
    "is_correct",
    "accepted_answers",
    "explanation",
    "correct",
    "correct_answer",
    "feedback",
}
SECRET_VALUES = [EXPLANATION_MARK, *ACCEPTED_ANSWERS]


@pytest.fixture
def learner(course):
    user = UserFactory(email="luring.kuis@instansi.go.id", full_name="Sri Luring")
    services.enrollment_create(user=user, course=course)
    return user


def set_quiz(quiz: QuizPage, **fields) -> QuizPage:
    QuizPage.objects.filter(pk=quiz.pk).update(**fields)
    return QuizPage.objects.get(pk=quiz.pk)


def paper_of(client: Client, quiz: QuizPage):
    return client.get(f"/api/v1/quizzes/{quiz.pk}/paper")


def send(client: Client, quiz: QuizPage, token: str, answers: dict, event_id=None, **extra):
    return client.post(
        f"/api/v1/quizzes/{quiz.pk}/offline-submissions",
        {
            "event_id": str(event_id or uuid.uuid4()),
            "token": token,
            "answers": answers,
            "answered_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            **extra,
        },
        content_type="application/json",
    )


def assert_outdated(api, quiz, token, learner, detail: str) -> None:
    """The paper is refused as outdated with `detail`, and no attempt is kept."""
    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 409
    assert response.json() == {"code": "paper_outdated", "detail": detail}
    assert not QuizAttempt.objects.filter(user=learner).exists()


def walk(value, path="$"):
    """Every (path, key or leaf) in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}", key
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")
    else:
        yield path, value


def assert_no_answer_key(value) -> None:
    for path, leaf in walk(value):
        assert leaf not in SECRET_KEYS, path
        if isinstance(leaf, str):
            for secret in SECRET_VALUES:
                assert secret.lower() not in leaf.lower(), (path, secret)


def quiz_attempted_records(user) -> int:
    return LearningRecord.objects.filter(
        actor=user, verb=LearningRecord.Verb.QUIZ_ATTEMPTED
    ).count()


# The paper ------------------------------------------------------------------------------------


def test_the_paper_has_the_questions_and_no_answer_key_anywhere(api, quiz):
    response = paper_of(api, quiz)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert set(body) == {"quiz_id", "title", "token", "timed", "questions"}
    assert (body["quiz_id"], body["title"], body["timed"]) == (quiz.pk, quiz.title, False)
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
    assert_no_answer_key(body)
    # The token is signed, not secret: what it carries is readable, so it must hold no key.
    assert_no_answer_key(signing.loads(body["token"], salt=quiz_services.PAPER_SALT))
    # Fetching a paper starts nothing: an attempt counts only once answers arrive.
    assert not QuizAttempt.objects.exists()


def test_the_paper_is_the_same_draw_each_time_and_the_same_as_an_online_start(api, quiz):
    quiz = set_quiz(quiz, questions_per_attempt=2, shuffle_questions=True, shuffle_options=True)
    first = paper_of(api, quiz).json()
    # Asking again cannot fish for an easier draw.
    for _n in range(5):
        assert paper_of(api, quiz).json()["questions"] == first["questions"]
    assert len(first["questions"]) == 2

    started = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts").json()
    assert started["questions"] == first["questions"]


def test_each_attempt_number_has_its_own_fixed_draw(api, quiz, learner):
    quiz = set_quiz(
        quiz,
        role=QuizPage.Role.PRACTICE,
        questions_per_attempt=2,
        shuffle_questions=True,
        shuffle_options=True,
    )
    draws = []
    for number in range(1, 7):
        paper = paper_of(api, quiz).json()
        assert paper_of(api, quiz).json()["questions"] == paper["questions"]
        assert signing.loads(paper["token"], salt=quiz_services.PAPER_SALT)["number"] == number
        assert send(api, quiz, paper["token"], {}).status_code == 201
        draws.append(
            tuple((q["id"], tuple(o["id"] for o in q["options"])) for q in paper["questions"])
        )
    # Six attempts all drawn alike would be a draw that ignores the attempt number.
    assert len(set(draws)) > 1
    assert QuizAttempt.objects.filter(user=learner).count() == 6


def test_the_paper_of_an_attempt_in_progress_is_that_attempt(api, quiz, learner):
    quiz = set_quiz(quiz, shuffle_options=True)
    started = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts").json()

    paper = paper_of(api, quiz).json()

    assert paper["questions"] == started["questions"]
    assert signing.loads(paper["token"], salt=quiz_services.PAPER_SALT)["attempt"] == started["id"]
    response = send(api, quiz, paper["token"], correct_answers(quiz))
    assert response.status_code == 201 and response.json()["id"] == started["id"]
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_a_timed_quiz_needs_a_connection(api, quiz):
    quiz = set_quiz(quiz, time_limit_minutes=20)

    response = paper_of(api, quiz)

    assert response.status_code == 409
    assert response.json() == {
        "code": "needs_connection",
        "detail": "This quiz has a time limit and needs a connection: take it online.",
    }
    assert not QuizAttempt.objects.exists()


def test_a_quiz_made_timed_after_its_paper_was_saved_is_refused(api, quiz, learner):
    token = paper_of(api, quiz).json()["token"]
    quiz = set_quiz(quiz, time_limit_minutes=20)

    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 409 and response.json()["code"] == "needs_connection"
    assert not QuizAttempt.objects.exists() and quiz_attempted_records(learner) == 0


def test_the_paper_is_refused_to_whoever_cannot_take_the_quiz(api, quiz, client, learner):
    assert paper_of(client, quiz).status_code == 401
    stranger = Client()
    stranger.force_login(UserFactory(email="luring.tamu@instansi.go.id"))
    refused = paper_of(stranger, quiz)
    assert refused.status_code == 403 and refused.json()["code"] == "not_enrolled"

    quiz = set_quiz(quiz, max_attempts=1)
    send(api, quiz, paper_of(api, quiz).json()["token"], {})
    refused = paper_of(api, quiz)
    assert refused.status_code == 403 and refused.json()["code"] == "attempts_exhausted"

    quiz.unpublish()
    assert paper_of(api, quiz).status_code == 404


def test_a_passed_post_test_gives_no_paper(api, quiz, lesson, learner):
    progress.lesson_complete(user=learner, lesson=lesson)
    send(api, quiz, paper_of(api, quiz).json()["token"], correct_answers(quiz))

    refused = paper_of(api, quiz)

    assert refused.status_code == 403 and refused.json()["code"] == "already_passed"


def test_the_paper_reads_in_a_fixed_number_of_queries(api, quiz, django_assert_max_num_queries):
    paper_of(api, quiz)
    with django_assert_max_num_queries(12) as few:
        assert paper_of(api, quiz).status_code == 200
    # Twenty more questions and three more lessons: not one query more.
    module = quiz.get_parent()
    for n in range(3):
        LessonPageFactory(parent=module, title=f"Pelajaran tambahan {n}")
    quiz = set_quiz(
        quiz,
        questions=[
            {**block, "id": str(uuid.uuid4())} for _n in range(6) for block in four_questions()
        ],
    )
    assert len(quiz.questions) == 24
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(paper_of(api, quiz).json()["questions"]) == 24


# The submission -------------------------------------------------------------------------------


def test_an_offline_submission_scores_exactly_like_an_online_one(api, quiz, course, learner):
    [single, multiple, true_false, _short] = questions_of(quiz)
    # Half right: the single choice right, the multiple choice half right, true/false wrong.
    answers = {
        single.id: option_ids(single, "Kesamaan hak"),
        multiple.id: option_ids(multiple, "Akuntabel"),
        true_false.id: option_ids(true_false, "Salah"),
        _short.id: "  zona integritas. ",
    }
    online_learner = UserFactory(email="daring.kuis@instansi.go.id")
    services.enrollment_create(user=online_learner, course=course)
    online = Client()
    online.force_login(online_learner)
    attempt_id = online.post(f"/api/v1/quizzes/{quiz.pk}/attempts").json()["id"]
    online_result = online.post(
        f"/api/v1/attempts/{attempt_id}/submission",
        {"answers": answers},
        content_type="application/json",
    ).json()

    response = send(api, quiz, paper_of(api, quiz).json()["token"], answers)

    assert response.status_code == 201
    offline_result = response.json()
    same = ("number", "status", "score", "points", "max_points", "passed", "pass_band")
    assert {k: offline_result[k] for k in same} == {k: online_result[k] for k in same}
    assert (offline_result["points"], offline_result["max_points"]) == (2, 5)
    assert offline_result["passed"] is False
    attempt = QuizAttempt.objects.get(pk=offline_result["id"])
    online_attempt = QuizAttempt.objects.get(pk=attempt_id)
    assert attempt.answers == online_attempt.answers
    assert offline_result["result_url"] == f"/kuis/percobaan/{attempt.pk}/hasil/"
    assert api.get(offline_result["result_url"]).status_code == 200
    record = LearningRecord.objects.get(actor=learner, verb=LearningRecord.Verb.QUIZ_ATTEMPTED)
    online_record = LearningRecord.objects.get(
        actor=online_learner, verb=LearningRecord.Verb.QUIZ_ATTEMPTED
    )
    kept = ("score", "points", "max_points", "passed", "pass_band", "role", "number")
    assert {k: record.result[k] for k in kept} == {k: online_record.result[k] for k in kept}


def test_sending_the_same_submission_again_counts_nothing_twice(api, quiz, learner):
    token = paper_of(api, quiz).json()["token"]
    event_id = uuid.uuid4()
    first = send(api, quiz, token, {}, event_id=event_id)
    assert first.status_code == 201

    # A retry (say, the first answer was lost on the way), even with other answers.
    again = send(api, quiz, token, correct_answers(quiz), event_id=event_id)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert quiz_attempted_records(learner) == 1
    assert QuizAttempt.objects.get(user=learner).points == 0


def test_the_time_the_device_gives_is_kept_as_information_only(api, quiz, learner):
    answered_at = timezone.now() - timedelta(days=2)
    token = paper_of(api, quiz).json()["token"]

    body = send(api, quiz, token, {}, answered_at=answered_at.isoformat()).json()

    attempt = QuizAttempt.objects.get(pk=body["id"])
    assert attempt.answered_offline_at == answered_at
    # The attempt starts and ends when the server receives it: the device's clock decides nothing.
    assert attempt.started_at > answered_at and attempt.submitted_at > answered_at
    record = LearningRecord.objects.get(actor=learner, verb=LearningRecord.Verb.QUIZ_ATTEMPTED)
    assert record.result["answered_offline_at"] == answered_at.isoformat()

    # A device clock running ahead is not believed either.
    token = paper_of(api, set_quiz(quiz, role=QuizPage.Role.PRACTICE)).json()["token"]
    future = timezone.now() + timedelta(days=30)
    body = send(api, quiz, token, {}, answered_at=future.isoformat()).json()
    assert QuizAttempt.objects.get(pk=body["id"]).answered_offline_at <= timezone.now()


def test_a_paper_for_another_learner_or_quiz_or_tampered_is_refused(
    api, quiz, course, learner, provider_a
):
    other_user = UserFactory(email="luring.lain@instansi.go.id")
    services.enrollment_create(user=other_user, course=course)
    other = Client()
    other.force_login(other_user)
    token = paper_of(api, quiz).json()["token"]
    other_course, _lesson, other_quiz = course_with_quiz(provider_page_of(provider_a), title="Lain")
    services.enrollment_create(user=learner, course=other_course)

    refusals = [
        send(other, quiz, token, correct_answers(quiz)),
        send(api, other_quiz, token, correct_answers(other_quiz)),
        send(api, quiz, token[:-3] + "xyz", correct_answers(quiz)),
        send(api, quiz, "bukan-token", correct_answers(quiz)),
    ]

    for response in refusals:
        assert response.status_code == 400, response.content
        assert response.json() == {
            "code": "invalid_paper",
            "detail": (
                "This quiz paper is not valid for you or for this quiz. Open the quiz online."
            ),
        }
    assert not QuizAttempt.objects.exists()
    assert quiz_attempted_records(learner) == quiz_attempted_records(other_user) == 0


def test_an_event_id_used_for_another_quiz_is_refused(api, quiz, learner, provider_a):
    other_course, _lesson, practice = course_with_quiz(
        provider_page_of(provider_a), title="Latihan", role=QuizPage.Role.PRACTICE
    )
    services.enrollment_create(user=learner, course=other_course)
    event_id = uuid.uuid4()
    assert (
        send(api, quiz, paper_of(api, quiz).json()["token"], {}, event_id=event_id).status_code
        == 201
    )

    response = send(api, practice, paper_of(api, practice).json()["token"], {}, event_id=event_id)

    assert response.status_code == 400 and response.json()["code"] == "event_id_reused"
    assert not QuizAttempt.objects.filter(quiz=practice).exists()


def test_used_up_attempts_are_refused_and_nothing_is_kept(api, quiz, learner):
    quiz = set_quiz(quiz, max_attempts=1)
    token = paper_of(api, quiz).json()["token"]
    # The last attempt was used online meanwhile (another device).
    attempt_id = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts").json()["id"]
    api.post(
        f"/api/v1/attempts/{attempt_id}/submission",
        {"answers": {}},
        content_type="application/json",
    )

    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 403
    assert response.json() == {
        "code": "attempts_exhausted",
        "detail": "You have used all 1 attempts at this quiz.",
    }
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert quiz_attempted_records(learner) == 1


def test_a_paper_whose_attempt_was_taken_since_is_refused(api, quiz, learner):
    quiz = set_quiz(quiz, role=QuizPage.Role.PRACTICE)
    token = paper_of(api, quiz).json()["token"]
    # Attempt 1 taken online; the paper was for attempt 1, its draw is used up.
    attempt_id = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts").json()["id"]
    api.post(
        f"/api/v1/attempts/{attempt_id}/submission",
        {"answers": {}},
        content_type="application/json",
    )

    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 409 and response.json()["code"] == "paper_outdated"
    assert "out of date" in response.json()["detail"]
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_a_paper_saved_before_a_recertification_is_refused_in_the_new_round(
    api, quiz, course, learner
):
    quiz = set_quiz(quiz, questions_per_attempt=2, shuffle_questions=True)
    old_token = paper_of(api, quiz).json()["token"]
    # The course is completed, the certificate lapses and the learner enrolls again: a new
    # round, whose attempt 1 has its own draw.
    Enrollment.objects.filter(user=learner, course=course).update(
        status=Enrollment.Status.COMPLETED
    )
    new_round = Enrollment.objects.create(
        user=learner, course=course, status=Enrollment.Status.ACTIVE
    )

    assert_outdated(
        api,
        quiz,
        old_token,
        learner,
        "This quiz paper was saved before you enrolled in this course again. "
        "Open the quiz online to take it again.",
    )
    # The new round's own paper is taken as its attempt 1.
    response = send(api, quiz, paper_of(api, quiz).json()["token"], correct_answers(quiz))
    assert response.status_code == 201, response.json()
    attempt = QuizAttempt.objects.get(user=learner)
    assert (attempt.enrollment_id, attempt.number) == (new_round.pk, 1)


def test_a_paper_older_than_its_lifetime_is_refused_as_expired(api, quiz, learner, monkeypatch):
    issued_at = time.time() - quiz_services.PAPER_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(int(issued_at))
    )
    token = paper_of(api, quiz).json()["token"]
    monkeypatch.undo()

    assert_outdated(
        api,
        quiz,
        token,
        learner,
        "This quiz paper was saved more than 30 days ago and has expired. "
        "Open the quiz online to take it again.",
    )


def test_a_paper_just_within_its_lifetime_is_scored(api, quiz, learner, monkeypatch):
    issued_at = time.time() - quiz_services.PAPER_MAX_AGE.total_seconds() + 3600
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(int(issued_at))
    )
    token = paper_of(api, quiz).json()["token"]
    monkeypatch.undo()

    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 201, response.json()
    assert QuizAttempt.objects.get(user=learner).passed is True


def test_a_paper_saved_before_the_questions_were_changed_is_refused(api, quiz, learner):
    token = paper_of(api, quiz).json()["token"]
    # An editor rewrites the quiz and publishes it.
    page = QuizPage.objects.get(pk=quiz.pk)
    page.questions = four_questions()[:2]
    page.save_revision().publish()

    assert_outdated(
        api,
        quiz,
        token,
        learner,
        "This quiz was changed since its paper was saved. Open the quiz online to take it again.",
    )
    # A paper of the quiz as it is now is taken.
    response = send(api, quiz, paper_of(api, quiz).json()["token"], correct_answers(quiz))
    assert response.status_code == 201, response.json()


def test_a_paper_survives_an_edit_that_keeps_its_questions(api, quiz, learner):
    """A new title or explanation republishes the quiz: the answers the learner gave offline
    to the same questions and options still count."""
    token = paper_of(api, quiz).json()["token"]
    page = QuizPage.objects.get(pk=quiz.pk)
    page.title = "Kuis (diperbarui)"
    page.save_revision().publish()

    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 201, response.json()
    assert QuizAttempt.objects.get(user=learner).passed is True


def test_a_withdrawn_learner_is_refused(api, quiz, learner):
    token = paper_of(api, quiz).json()["token"]
    services.enrollment_withdraw(enrollment=Enrollment.objects.get(user=learner), user=learner)

    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 403
    assert response.json() == {
        "code": "not_enrolled",
        "detail": "Enroll in this course before taking its quizzes.",
    }
    assert not QuizAttempt.objects.exists()


def test_a_quiz_unpublished_since_is_refused_with_a_reason(api, quiz):
    token = paper_of(api, quiz).json()["token"]
    quiz.unpublish()

    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 403
    assert response.json() == {"code": "not_live", "detail": "This quiz is not published."}
    assert not QuizAttempt.objects.exists()


def test_a_post_test_waits_for_the_lessons_and_then_completes_the_course(
    api, quiz, lesson, learner
):
    quiz = set_quiz(quiz, requires_lessons_completed=True)
    # The paper is handed out before the lessons are done: their completions may be queued on
    # the device too, and are sent first.
    token = paper_of(api, quiz).json()["token"]
    refused = send(api, quiz, token, correct_answers(quiz))
    assert refused.status_code == 403 and refused.json()["code"] == "lessons_left"
    assert refused.json()["detail"] == (
        f"Complete these lessons before starting the post-test: {lesson.title}."
    )
    assert not QuizAttempt.objects.exists()

    # Back online, the queued completion goes first, then the quiz.
    progress.lesson_complete(user=learner, lesson=lesson, event_id=uuid.uuid4(), source="api")
    response = send(api, quiz, token, correct_answers(quiz))

    assert response.status_code == 201
    body = response.json()
    assert body["passed"] is True and body["pass_band"] == "Sangat Baik"
    assert body["lesson_completed"] and body["course_completed"]
    enrollment = Enrollment.objects.get(user=learner)
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert body["certificate_code"] == certificate.code
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert str(enrollment.final_score) == "100.00" and enrollment.pass_band == "Sangat Baik"
    completion = LessonCompletion.objects.get(enrollment=enrollment, lesson=quiz)
    assert completion.source == LessonCompletion.Source.QUIZ


def test_refusals_read_in_indonesian_by_default(quiz, learner):
    quiz = set_quiz(quiz, time_limit_minutes=5)
    with translation.override("id"), pytest.raises(quiz_services.NeedsConnection) as refused:
        quiz_services.paper_issue(user=learner, quiz=quiz)
    assert refused.value.message == (
        "Kuis ini berbatas waktu dan memerlukan koneksi: kerjakan secara daring."
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("concurrent_database")
def test_copies_of_one_submission_sent_at_once_make_one_attempt(provider_a):
    """Two tabs, or the service worker and the page, flush the same queued quiz at the same
    moment: one attempt, one learning record, and every copy answers with that attempt."""
    course, lesson, quiz = course_with_quiz(provider_page_of(provider_a), title="Serentak Luring")
    learner = UserFactory(email="serentak.luring@instansi.go.id")
    services.enrollment_create(user=learner, course=course)
    progress.lesson_complete(user=learner, lesson=lesson)
    paper = quiz_services.paper_issue(user=learner, quiz=quiz)
    event_id = uuid.uuid4()

    def work():
        return quiz_services.offline_submission(
            user=learner,
            quiz=quiz,
            token=paper.token,
            answers=correct_answers(quiz),
            event_id=event_id,
        )

    outcomes = race(*[work] * 6)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sorted(outcome.created for outcome in outcomes) == [False] * 5 + [True]
    attempt = QuizAttempt.objects.get(user=learner)
    assert {outcome.attempt.pk for outcome in outcomes} == {attempt.pk}
    assert attempt.passed and quiz_attempted_records(learner) == 1
    assert Certificate.objects.filter(enrollment__user=learner).count() == 1


# The quiz page --------------------------------------------------------------------------------


def test_the_quiz_page_carries_the_offline_hooks(api, quiz, course):
    html = api.get(quiz.url).content.decode()

    assert "data-offline-quiz" in html
    assert f'data-paper-url="/api/v1/quizzes/{quiz.pk}/paper"' in html
    assert f'data-submit-url="/api/v1/quizzes/{quiz.pk}/offline-submissions"' in html
    assert f'data-quiz-id="{quiz.pk}"' in html and 'data-timed="false"' in html
    assert f'data-lesson-id="{quiz.pk}" data-course-id="{course.pk}"' in html
    assert "data-quiz-needs-connection" not in html


def test_a_timed_quiz_page_says_it_needs_a_connection_to_everyone(api, quiz, client):
    quiz = set_quiz(quiz, time_limit_minutes=15)

    for visitor in (api, client):
        html = visitor.get(quiz.url).content.decode()
        assert "data-quiz-needs-connection" in html
        assert "This quiz has a time limit and needs a connection." in html
    assert 'data-timed="true"' in api.get(quiz.url).content.decode()


def test_a_post_test_waiting_for_lessons_names_them_for_the_offline_script(
    api, quiz, lesson, learner
):
    quiz = set_quiz(quiz, requires_lessons_completed=True)

    html = api.get(quiz.url).content.decode()

    assert "data-offline-quiz" in html and f'data-lessons-left="{lesson.pk}"' in html
    progress.lesson_complete(user=learner, lesson=lesson)
    html = api.get(quiz.url).content.decode()
    assert "data-offline-quiz" in html and "data-lessons-left" not in html


def test_no_offline_hooks_for_whoever_cannot_take_the_quiz(api, quiz, client):
    assert "data-offline-quiz" not in client.get(quiz.url).content.decode()
    stranger = Client()
    stranger.force_login(UserFactory(email="luring.bukan.peserta@instansi.go.id"))
    assert "data-offline-quiz" not in stranger.get(quiz.url).content.decode()
    quiz = set_quiz(quiz, max_attempts=1)
    send(api, quiz, paper_of(api, quiz).json()["token"], {})
    assert "data-offline-quiz" not in api.get(quiz.url).content.decode()


def test_a_submission_costs_the_same_queries_whatever_the_number_of_questions(api, quiz):
    quiz = set_quiz(quiz, role=QuizPage.Role.PRACTICE)
    send(api, quiz, paper_of(api, quiz).json()["token"], {})  # warm what a live site keeps warm
    token = paper_of(api, quiz).json()["token"]
    with CaptureQueriesContext(connection) as four:
        assert send(api, quiz, token, correct_answers(quiz)).status_code == 201

    quiz = set_quiz(
        quiz,
        questions=[
            {**block, "id": str(uuid.uuid4())} for _n in range(6) for block in four_questions()
        ],
    )
    token = paper_of(api, quiz).json()["token"]
    with CaptureQueriesContext(connection) as twenty_four:
        response = send(api, quiz, token, correct_answers(quiz))
    assert response.status_code == 201 and response.json()["max_points"] == 30
    assert len(twenty_four) <= len(four)

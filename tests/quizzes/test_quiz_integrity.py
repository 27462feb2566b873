"""Assessment integrity (issue 13): the answer key is revealed only as the quiz's feedback policy
allows, attempts are drawn from the question pool and scored over what was shown, a pre-test
never reveals the post-test's answers nor says "not passed", and attempt limits start afresh
with a recertification enrollment (but not with a withdrawal and re-enrollment)."""

import importlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.factories import provider_page_of
from learners import progress, services
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment
from quizzes import services as quiz_services
from quizzes.factories import QuizPageFactory, short_answer, single_choice
from quizzes.models import QuizAttempt, QuizPage
from tests.quizzes.quiz_helpers import (
    ACCEPTED_ANSWERS,
    EXPLANATION_MARK,
    SECRETS,
    correct_answers,
    course_with_quiz,
    four_questions,
    questions_of,
    without_script_data,
)
from tests.utils import count_queries, race

pytestmark = pytest.mark.django_db

FINAL = QuizPage.FeedbackPolicy.AFTER_FINAL_ATTEMPT


@pytest.fixture
def section(provider_a):
    return provider_page_of(provider_a)


@pytest.fixture
def setup(section):
    return course_with_quiz(section, max_attempts=3)


@pytest.fixture
def post_test(setup):
    return setup[2]


@pytest.fixture
def learner(course):
    user = UserFactory(email="integritas@instansi.go.id", full_name="Rina Wati")
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


def submit(user, quiz, answers) -> QuizAttempt:
    attempt = quiz_services.attempt_start(user=user, quiz=quiz)
    return quiz_services.attempt_submit(user=user, attempt=attempt, answers=answers)


def assert_no_answer_key(content: str) -> None:
    for secret in [EXPLANATION_MARK, *ACCEPTED_ANSWERS]:
        assert secret not in content, secret
    assert '"is_correct": true' not in content
    assert '<span class="badge">correct answer' not in content


def set_quiz(quiz: QuizPage, **fields) -> QuizPage:
    QuizPage.objects.filter(pk=quiz.pk).update(**fields)
    return QuizPage.objects.get(pk=quiz.pk)


# 1. Feedback policy


def test_graded_and_new_quizzes_default_to_feedback_after_the_last_attempt_or_passing(post_test):
    assert post_test.feedback_policy == FINAL
    assert QuizPage._meta.get_field("feedback_policy").default == FINAL


def test_the_migration_gives_existing_quizzes_the_safe_default():
    migration = importlib.import_module("assessments.migrations.0002_quiz_integrity")
    [added] = [
        op
        for op in migration.Migration.operations
        if getattr(op, "name", "") == "feedback_policy" and hasattr(op, "field")
    ]
    assert added.field.default == FINAL


def test_a_blank_post_test_submission_reveals_no_answer_in_the_api(api, post_test):
    attempt_id = start(api, post_test).json()["id"]
    response = send(api, attempt_id, {})
    assert response.status_code == 200
    body = response.json()
    assert body["score"] == "0.00" and body["passed"] is False
    assert body["feedback"] == [] and body["feedback_shown"] is False
    assert_no_answer_key(response.content.decode())


def test_a_blank_post_test_submission_reveals_no_answer_in_the_html(learner, post_test, client_for):
    client = client_for(learner)
    client.post(reverse("quizzes:attempt_start", args=[post_test.pk]))
    attempt = QuizAttempt.objects.get(user=learner)
    response = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), {})
    result = client.get(response["Location"])
    html = result.content.decode()
    assert result.status_code == 200 and "0%" in html
    assert_no_answer_key(html)
    assert "Kesamaan hak" not in html  # not even the options with a "your choice" mark
    assert "shown once you pass or have used your last attempt" in html


def test_a_replayed_answer_key_is_impossible_after_a_blank_attempt(api, post_test, learner):
    """The probe's attack: a blank attempt 1 for the key, attempt 2 replays it for 100 %."""
    first = send(api, start(api, post_test).json()["id"], {}).json()
    assert first["feedback"] == [] and first["feedback_shown"] is False
    second = start(api, post_test).json()
    assert second["number"] == 2
    content = api.get("/api/v1/me/attempts").content.decode()
    assert_no_answer_key(content)
    assert [a["feedback_shown"] for a in api.get("/api/v1/me/attempts").json()] == [False, False]


def test_feedback_is_shown_after_the_last_attempt(api, post_test, learner, client_for):
    post_test = set_quiz(post_test, max_attempts=2)
    first = send(api, start(api, post_test).json()["id"], {}).json()
    assert first["feedback"] == []
    second = send(api, start(api, post_test).json()["id"], {}).json()
    assert second["feedback_shown"] is True
    assert len(second["feedback"]) == 4
    assert EXPLANATION_MARK in second["feedback"][0]["explanation"]
    # The first attempt's page now shows its answers too: no attempt is left to use them in.
    html = client_for(learner).get(reverse("quizzes:attempt_result", args=[first["id"]]))
    assert f"{EXPLANATION_MARK} 1" in html.content.decode()
    mine = api.get("/api/v1/me/attempts").json()
    assert [a["feedback_shown"] for a in mine] == [True, True]


def test_feedback_is_shown_after_passing_and_a_passed_post_test_is_closed(api, post_test, learner):
    body = send(api, start(api, post_test).json()["id"], correct_answers(post_test)).json()
    assert body["passed"] is True and body["feedback_shown"] is True
    assert body["feedback"][3]["correct_answer"] == ACCEPTED_ANSWERS
    # With the key in hand, a better band for the certificate is out of reach.
    refused = start(api, post_test)
    assert refused.status_code == 403 and refused.json()["code"] == "already_passed"


def test_never_shows_the_answers_even_after_passing_or_the_last_attempt(api, post_test):
    post_test = set_quiz(post_test, feedback_policy="never", max_attempts=1)
    body = send(api, start(api, post_test).json()["id"], correct_answers(post_test)).json()
    assert body["passed"] is True and body["feedback_shown"] is False
    assert body["feedback"] == []


def test_always_shows_the_answers_of_a_practice_quiz_after_any_attempt(section):
    course, _lesson, practice = course_with_quiz(
        section, title="Latihan", role="practice", feedback_policy="always"
    )
    user = UserFactory(email="latihan@instansi.go.id")
    services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    body = send(client, start(client, practice).json()["id"], {}).json()
    assert body["feedback_shown"] is True and len(body["feedback"]) == 4


@pytest.mark.parametrize("role", ["pre_test", "post_test"])
def test_always_is_refused_for_graded_quizzes_with_a_clear_error(post_test, role):
    post_test.role = role
    post_test.feedback_policy = "always"
    with pytest.raises(ValidationError) as error:
        post_test.full_clean()
    assert error.value.message_dict["feedback_policy"] == [
        "Answers after every attempt are allowed for practice quizzes only: a pre-test or "
        "post-test would hand out its answer key."
    ]
    post_test.role = "practice"
    post_test.full_clean()


# 2. Question pools


def test_each_attempt_draws_the_set_number_of_questions_and_is_scored_over_them(
    api, post_test, learner, client_for
):
    post_test = set_quiz(post_test, questions_per_attempt=2)
    body = start(api, post_test).json()
    drawn = [question["id"] for question in body["questions"]]
    assert len(drawn) == 2 and len(set(drawn)) == 2
    attempt = QuizAttempt.objects.get(pk=body["id"])
    assert [entry["id"] for entry in attempt.question_order] == drawn
    html = client_for(learner).get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert html.content.decode().count('<fieldset class="field">') == 2

    # Every drawn question right is 100 %, whatever the questions not drawn.
    answers = {key: value for key, value in correct_answers(post_test).items() if key in drawn}
    result = send(api, attempt.pk, answers).json()
    points = {child.id: child.value["points"] for child in questions_of(post_test)}
    assert result["max_points"] == sum(points[key] for key in drawn)
    assert float(result["score"]) == 100 and result["passed"] is True
    assert [item["question_id"] for item in result["feedback"]] == drawn


def test_draws_differ_between_attempts(post_test):
    post_test = set_quiz(post_test, questions_per_attempt=2)
    draws = {
        frozenset(entry["id"] for entry in quiz_services.question_order_draw(post_test))
        for _ in range(60)
    }
    # Six possible pairs from four questions; sixty draws all alike would be a broken draw.
    assert len(draws) > 1 and all(len(draw) == 2 for draw in draws)


def test_more_questions_per_attempt_than_questions_is_refused(post_test):
    post_test.questions_per_attempt = 5
    with pytest.raises(ValidationError) as error:
        post_test.full_clean()
    assert "questions_per_attempt" in error.value.message_dict


def test_quiz_page_tells_how_many_questions_an_attempt_asks(post_test, learner, client_for):
    post_test = set_quiz(post_test, questions_per_attempt=3)
    html = client_for(learner).get(post_test.url).content.decode()
    assert "<dt>Questions</dt><dd>3</dd>" in html


# 3. A pre-test never reveals the post-test's answers


def _pre_test(course, **fields):
    module = course.get_children().first()
    shared = four_questions()[:2]  # the same questions as the post-test's first two
    own = single_choice(
        "Pertanyaan khusus pra-uji: berapa JP minimal setahun?",
        [("20 JP", True), ("5 JP", False)],
        explanation="HANYA-DI-PRA-UJI",
    )
    fields = {"role": "pre_test", "max_attempts": 1, "questions": [*shared, own], **fields}
    quiz = QuizPageFactory(parent=module, title="Pra-uji", **fields)
    return QuizPage.objects.get(pk=quiz.pk)


def test_a_pre_test_withholds_answers_to_questions_also_in_the_post_test(
    api, course, post_test, learner, client_for
):
    pre_test = _pre_test(course)
    body = send(api, start(api, pre_test).json()["id"], {}).json()
    assert body["feedback_shown"] is True  # its last attempt
    by_text = {item["text"]: item for item in body["feedback"]}
    own = by_text["Pertanyaan khusus pra-uji: berapa JP minimal setahun?"]
    assert own["revealed"] is True and own["explanation"] == "HANYA-DI-PRA-UJI"
    shared = [item for item in body["feedback"] if item is not own]
    assert len(shared) == 2
    for item in shared:
        assert item["revealed"] is False and item["correct"] is None
        assert item["explanation"] == "" and item["correct_answer"] == []
        assert all(option["is_correct"] is None for option in item["options"])
    html = client_for(learner).get(reverse("quizzes:attempt_result", args=[body["id"]]))
    html = html.content.decode()
    assert "HANYA-DI-PRA-UJI" in html
    assert EXPLANATION_MARK not in html
    assert "also asked in the post-test" in html


def test_a_question_is_the_same_whatever_its_spacing_and_case(section):
    course, _lesson, _post = course_with_quiz(
        section,
        title="Ejaan",
        questions=[short_answer("Singkatan  dari Aparatur Sipil Negara?", ["ASN"])],
    )
    pre = _pre_test(
        course,
        questions=[
            short_answer("singkatan dari aparatur sipil negara? ", ["ASN"], explanation="X")
        ],
    )
    user = UserFactory(email="ejaan@instansi.go.id")
    services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    body = send(client, start(client, pre).json()["id"], {"x": "ASN"}).json()
    [item] = body["feedback"]
    assert item["revealed"] is False and item["correct_answer"] == []


# 4. A pre-test has a score, never a verdict


def test_a_pre_test_shows_a_score_but_never_not_passed(api, course, post_test, learner, client_for):
    pre_test = _pre_test(course)
    body = send(api, start(api, pre_test).json()["id"], {}).json()
    assert body["passed"] is None and body["pass_band"] == ""
    assert body["score"] == "0.00" and body["lesson_completed"] is True
    mine = api.get("/api/v1/me/attempts").json()
    assert mine[0]["passed"] is None and mine[0]["role"] == "pre_test"
    client = client_for(learner)
    result = client.get(reverse("quizzes:attempt_result", args=[body["id"]])).content.decode()
    intro = client.get(pre_test.url).content.decode()
    for html in (without_script_data(result), without_script_data(intro)):
        assert "Not passed" not in html and "Pass mark" not in html
    assert "Submitted" in intro and "0%" in result


def test_a_pre_test_answered_right_is_not_marked_passed(course, post_test, learner):
    pre_test = _pre_test(course)
    attempt = submit(learner, pre_test, correct_answers(pre_test))
    assert attempt.score == 100 and attempt.passed is False and attempt.pass_band == ""


# 5. Attempts count per enrollment (recertification starts afresh)


def _expire(learner, course) -> Enrollment:
    Certificate.objects.filter(enrollment__user=learner).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert services.enrollments_expire() == 1
    renewed, created = services.enrollment_create(user=learner, course=course)
    assert created
    return renewed


def test_a_recertification_enrollment_gets_fresh_attempts(learner, course, lesson, post_test):
    post_test = set_quiz(post_test, max_attempts=1)
    progress.lesson_complete(user=learner, lesson=lesson)
    first = submit(learner, post_test, correct_answers(post_test))
    old = Enrollment.objects.get(user=learner)
    assert first.enrollment_id == old.pk and old.status == Enrollment.Status.COMPLETED
    with pytest.raises(quiz_services.QuizClosed):
        quiz_services.attempt_start(user=learner, quiz=post_test)

    renewed = _expire(learner, course)
    attempt = quiz_services.attempt_start(user=learner, quiz=post_test)
    assert attempt.enrollment_id == renewed.pk and attempt.number == 1
    attempt = quiz_services.attempt_submit(user=learner, attempt=attempt, answers={})
    assert attempt.status == QuizAttempt.Status.SUBMITTED
    with pytest.raises(quiz_services.AttemptsExhausted):
        quiz_services.attempt_start(user=learner, quiz=post_test)


def test_the_quiz_page_counts_the_attempts_of_the_current_enrollment(
    learner, course, lesson, post_test, client_for
):
    post_test = set_quiz(post_test, max_attempts=1)
    progress.lesson_complete(user=learner, lesson=lesson)
    submit(learner, post_test, correct_answers(post_test))
    _expire(learner, course)
    html = client_for(learner).get(post_test.url).content.decode()
    assert "You have 1 attempt left." in html
    assert reverse("quizzes:attempt_start", args=[post_test.pk]) in html


def test_withdrawing_and_enrolling_again_does_not_reset_the_attempts(learner, course, post_test):
    post_test = set_quiz(post_test, max_attempts=2)
    submit(learner, post_test, {})
    enrollment = Enrollment.objects.get(user=learner)
    services.enrollment_withdraw(enrollment=enrollment, user=learner)
    again, created = services.enrollment_create(user=learner, course=course)
    assert created
    second = submit(learner, post_test, {})
    assert (second.number, second.enrollment_id) == (2, again.pk)
    with pytest.raises(quiz_services.AttemptsExhausted):
        quiz_services.attempt_start(user=learner, quiz=post_test)


def test_an_attempt_left_open_by_a_closed_enrollment_expires_when_a_new_one_starts(
    learner, course, lesson, post_test
):
    post_test = set_quiz(post_test, max_attempts=2)
    stale = quiz_services.attempt_start(user=learner, quiz=post_test)
    services.enrollment_withdraw(enrollment=Enrollment.objects.get(user=learner), user=learner)
    services.enrollment_create(user=learner, course=course)
    fresh = quiz_services.attempt_start(user=learner, quiz=post_test)
    stale.refresh_from_db()
    assert stale.status == QuizAttempt.Status.EXPIRED
    assert fresh.pk != stale.pk and fresh.number == 2


# Option order before submission


def _correct_last_quiz(section, **fields):
    course, _lesson, quiz = course_with_quiz(
        section,
        title="Urutan",
        questions=[
            single_choice(
                "Pilih yang benar",
                [("Salah satu", False), ("Salah dua", False), ("Yang benar", True)],
            )
        ],
        **fields,
    )
    user = UserFactory(email="urutan@instansi.go.id")
    services.enrollment_create(user=user, course=course)
    return quiz, user


def test_without_shuffling_options_keep_the_editors_order_never_correct_first(section):
    quiz, user = _correct_last_quiz(section)
    client = Client()
    client.force_login(user)
    body = start(client, quiz).json()
    assert [o["text"] for o in body["questions"][0]["options"]] == [
        "Salah satu",
        "Salah dua",
        "Yang benar",
    ]
    html = client.get(reverse("quizzes:attempt", args=[body["id"]])).content.decode()
    assert html.index("Salah satu") < html.index("Salah dua") < html.index("Yang benar")


def test_shuffled_options_do_not_put_the_correct_one_first(section):
    quiz, _user = _correct_last_quiz(section, shuffle_options=True)
    [child] = questions_of(quiz)
    correct = child.block.correct_answer(child.value)[0]
    positions = {
        quiz_services.question_order_draw(quiz)[0]["options"].index(correct) for _ in range(60)
    }
    assert positions == {0, 1, 2}


def test_nothing_before_submission_carries_the_answer_key(api, post_test):
    post_test = set_quiz(post_test, questions_per_attempt=3, shuffle_options=True)
    content = start(api, post_test).content.decode()
    for secret in SECRETS:
        assert secret not in content, secret


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("concurrent_database")
def test_concurrent_starts_after_recertification_stay_within_the_new_limit(provider_a):
    """Eight threads start attempts at once in a renewed enrollment: two, the new limit.

    On PostgreSQL the enrollment's row lock serializes them; on SQLite (a file in WAL mode,
    `concurrent_database`) each service's IMMEDIATE transaction takes the database's one write
    lock, so the race cannot happen inside them there: the test proves the outcome exact.
    """
    course, lesson, quiz = course_with_quiz(
        provider_page_of(provider_a), title="Serentak Ulang", max_attempts=2
    )
    learner = UserFactory(email="serentak.ulang@instansi.go.id")
    services.enrollment_create(user=learner, course=course)
    progress.lesson_complete(user=learner, lesson=lesson)
    submit(learner, quiz, correct_answers(quiz))
    renewed = _expire(learner, course)

    def work():
        for _ in range(4):
            try:
                attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
                quiz_services.attempt_submit(user=learner, attempt=attempt, answers={})
            except (quiz_services.AttemptClosed, quiz_services.AttemptsExhausted):
                pass

    assert race(*[work] * 8) == [None] * 8
    numbers = QuizAttempt.objects.filter(enrollment=renewed).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2]
    assert QuizAttempt.objects.filter(user=learner).count() == 3


def test_my_attempts_queries_do_not_grow_with_attempts(api, course, post_test, learner):
    pre_test = _pre_test(course, max_attempts=None)
    send(api, start(api, pre_test).json()["id"], {})
    send(api, start(api, post_test).json()["id"], {})
    one = count_queries(api, "/api/v1/me/attempts")
    for quiz in (pre_test, pre_test, post_test):
        send(api, start(api, quiz).json()["id"], {})
    assert count_queries(api, "/api/v1/me/attempts") == one
    assert [a["feedback_shown"] for a in api.get("/api/v1/me/attempts").json()] == [False] * 5

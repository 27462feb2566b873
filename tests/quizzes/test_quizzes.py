"""Quizzes: question blocks, scoring, attempt limits and time limits, answers kept secret until
submission, the HTML pages, and pass -> lesson -> course -> certificate with its pass band."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail import blocks
from wagtail.search.models import IndexEntry
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from assignments.models import AssignmentPage
from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage, ModulePage
from demo.quizzes import DEMO_QUIZZES, seed_quizzes
from learners import errors, progress, services
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment, LearningRecord, LessonCompletion
from learners.selectors import course_required_lesson_ids
from packages.models import PackageLessonPage
from quizzes import services as quiz_services
from quizzes.blocks import (
    MultipleChoiceQuestionBlock,
    QuestionStreamBlock,
    ShortAnswerQuestionBlock,
    SingleChoiceQuestionBlock,
    TrueFalseQuestionBlock,
    normalize_answer,
)
from quizzes.factories import short_answer
from quizzes.models import QuizAttempt, QuizPage
from quizzes.selectors import post_test_question_keys, question_key
from tests.quizzes.quiz_helpers import (
    ACCEPTED_ANSWERS,
    SECRETS,
    correct_answers,
    course_with_quiz,
    inline_scripts,
    option_ids,
    questions_of,
)
from tests.utils import count_queries, race


class TestQuizPageTree(WagtailPageTestCase):
    def test_quizzes_live_in_modules_beside_lessons(self):
        self.assertAllowedParentPageTypes(QuizPage, {ModulePage})
        self.assertAllowedSubpageTypes(
            ModulePage, {LessonPage, QuizPage, PackageLessonPage, AssignmentPage}
        )
        self.assertAllowedSubpageTypes(QuizPage, set())


# Blocks


def _cleaned(block, value: dict):
    return block.clean(block.to_python(value))


def _options(*flags: bool) -> list[dict]:
    return [{"text": f"Pilihan {n}", "is_correct": flag} for n, flag in enumerate(flags)]


@pytest.mark.parametrize(
    ("block", "flags"),
    [
        (SingleChoiceQuestionBlock(), (False, False, False)),
        (SingleChoiceQuestionBlock(), (True, True, False)),
        (MultipleChoiceQuestionBlock(), (False, False, False)),
        (TrueFalseQuestionBlock(), (True, True)),
        (TrueFalseQuestionBlock(), (False, False)),
    ],
)
def test_choice_questions_need_the_right_number_of_correct_options(block, flags):
    with pytest.raises(blocks.StructBlockValidationError) as error:
        _cleaned(block, {"text": "Pertanyaan?", "options": _options(*flags), "points": 1})
    assert "options" in error.value.block_errors


@pytest.mark.parametrize(
    ("block", "flags"),
    [
        (SingleChoiceQuestionBlock(), (False, True, False)),
        (MultipleChoiceQuestionBlock(), (True, True, False)),
        (TrueFalseQuestionBlock(), (False, True)),
    ],
)
def test_valid_choice_questions_pass(block, flags):
    _cleaned(block, {"text": "Pertanyaan?", "options": _options(*flags), "points": 1})


def test_short_answer_needs_an_accepted_answer():
    block = ShortAnswerQuestionBlock()
    with pytest.raises(blocks.StructBlockValidationError) as error:
        _cleaned(block, {"text": "Singkatan ASN?", "accepted_answers": ["  ...  "], "points": 1})
    assert "accepted_answers" in error.value.block_errors
    _cleaned(block, {"text": "Singkatan ASN?", "accepted_answers": ["ASN"], "points": 1})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("  Zona   Integritas. ", "zona integritas"),
        ("«ZONA INTEGRITAS»", "zona integritas"),
        ("zi-wbk!", "zi-wbk"),
        ("\tStraße ", "strasse"),
        ("...", ""),
    ],
)
def test_short_answers_are_normalised(given, expected):
    assert normalize_answer(given) == expected


def test_block_preview_shows_no_answers():
    block = SingleChoiceQuestionBlock()
    value = block.to_python(
        {"text": "Pertanyaan?", "options": _options(True, False), "explanation": "RAHASIA"}
    )
    html = block.render(value)
    assert "Pilihan 0" in html
    assert "RAHASIA" not in html and "True" not in html


# Fixtures


@pytest.fixture
def section(provider_a):
    return provider_page_of(provider_a)


@pytest.fixture
def quiz_setup(section):
    return course_with_quiz(section)


@pytest.fixture
def course(quiz_setup):
    return quiz_setup[0]


@pytest.fixture
def lesson(quiz_setup):
    return quiz_setup[1]


@pytest.fixture
def quiz(quiz_setup):
    return quiz_setup[2]


@pytest.fixture
def learner(db):
    return UserFactory(email="kuis@instansi.go.id", full_name="Dewi Lestari")


@pytest.fixture
def enrolled(learner, course):
    services.enrollment_create(user=learner, course=course)
    return learner


def submit(user, quiz, answers) -> QuizAttempt:
    attempt = quiz_services.attempt_start(user=user, quiz=quiz)
    return quiz_services.attempt_submit(user=user, attempt=attempt, answers=answers)


# Scoring


@pytest.mark.django_db
def test_all_answers_right_score_100_and_pass(enrolled, quiz):
    attempt = submit(enrolled, quiz, correct_answers(quiz))
    assert attempt.status == QuizAttempt.Status.SUBMITTED
    assert (attempt.points, attempt.max_points, attempt.score) == (5, 5, Decimal("100.00"))
    assert attempt.passed and attempt.pass_band == "Sangat Baik"
    assert attempt.submitted_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "points_lost"),
    [("single_choice", 1), ("multiple_choice", 2), ("true_false", 1), ("short_answer", 1)],
)
def test_each_kind_scores_nothing_when_wrong(enrolled, quiz, kind, points_lost):
    answers = correct_answers(quiz)
    child = next(child for child in questions_of(quiz) if child.block_type == kind)
    if kind == "short_answer":
        answers[child.id] = "Wilayah Birokrasi"
    else:
        wrong = [i for i in option_ids(child) if i not in answers[child.id]]
        answers[child.id] = wrong[:1]
    attempt = submit(enrolled, quiz, answers)
    assert attempt.points == 5 - points_lost
    assert attempt.score == Decimal(100 * (5 - points_lost) / 5).quantize(Decimal("0.01"))


@pytest.mark.django_db
def test_multiple_choice_partly_right_or_everything_ticked_is_wrong(enrolled, quiz, learner):
    child = next(child for child in questions_of(quiz) if child.block_type == "multiple_choice")
    answers = correct_answers(quiz)
    answers[child.id] = option_ids(child, "Berorientasi pelayanan")
    assert submit(enrolled, quiz, answers).points == 3

    second = UserFactory(email="centang.semua@instansi.go.id")
    services.enrollment_create(user=second, course=quiz.get_parent().get_parent().specific)
    answers[child.id] = option_ids(child, "Berorientasi pelayanan", "Akuntabel", "Birokratis")
    assert submit(second, quiz, answers).points == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given", ["zona integritas", "  ZONA   Integritas. ", "ZI-WBK", "zi-wbk!", "«Zona Integritas»"]
)
def test_short_answers_match_after_normalisation(enrolled, quiz, given):
    child = next(child for child in questions_of(quiz) if child.block_type == "short_answer")
    answers = {**correct_answers(quiz), child.id: given}
    assert submit(enrolled, quiz, answers).points == 5


@pytest.mark.django_db
def test_a_single_choice_answered_with_two_options_is_wrong(enrolled, quiz):
    child = next(child for child in questions_of(quiz) if child.block_type == "single_choice")
    answers = correct_answers(quiz)
    answers[child.id] = option_ids(child)[:2]
    assert submit(enrolled, quiz, answers).points == 4


@pytest.mark.django_db
def test_unknown_questions_and_options_are_ignored_and_nothing_answered_scores_zero(enrolled, quiz):
    attempt = submit(enrolled, quiz, {"not-a-question": ["x"], "other": "ZI-WBK"})
    assert attempt.points == 0 and attempt.score == Decimal("0.00") and not attempt.passed
    assert "not-a-question" not in attempt.answers
    child = questions_of(quiz)[0]
    assert attempt.answers[child.id] == []


@pytest.mark.django_db
def test_pass_mark_is_compared_exactly(section, learner):
    course, _lesson, quiz = course_with_quiz(
        section,
        title="Tiga Soal",
        pass_mark=67,
        questions=[short_answer(f"Soal {n}", [f"jawab{n}"], explanation="") for n in range(1, 4)],
    )
    services.enrollment_create(user=learner, course=course)
    answers = correct_answers(quiz)
    answers[questions_of(quiz)[2].id] = "salah"
    attempt = submit(learner, quiz, answers)
    # 2 of 3 is 66.666...%, shown as 66.67 but below a 67 % pass mark.
    assert attempt.score == Decimal("66.67") and not attempt.passed


# Completion


@pytest.mark.django_db
def test_passing_the_post_test_completes_the_course_with_the_band_on_the_certificate(
    enrolled, lesson, quiz
):
    progress.lesson_complete(user=enrolled, lesson=lesson)
    answers = correct_answers(quiz)
    child = next(child for child in questions_of(quiz) if child.block_type == "true_false")
    answers[child.id] = [i for i in option_ids(child) if i not in answers[child.id]]
    attempt = submit(enrolled, quiz, answers)  # 4 of 5: 80 %, "Baik"

    assert attempt.passed and attempt.pass_band == "Baik"
    enrollment = Enrollment.objects.get(user=enrolled)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert (enrollment.final_score, enrollment.pass_band) == (Decimal("80.00"), "Baik")
    completion = LessonCompletion.objects.get(enrollment=enrollment, lesson=quiz)
    assert completion.source == LessonCompletion.Source.QUIZ
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert (certificate.final_score, certificate.pass_band) == (Decimal("80.00"), "Baik")
    record = LearningRecord.objects.get(verb=LearningRecord.Verb.QUIZ_ATTEMPTED)
    assert record.result["score"] == "80.00" and record.result["passed"] is True


@pytest.mark.django_db
def test_failing_the_post_test_leaves_the_course_open(enrolled, lesson, quiz):
    progress.lesson_complete(user=enrolled, lesson=lesson)
    attempt = submit(enrolled, quiz, {})
    assert not attempt.passed and attempt.pass_band == ""
    enrollment = Enrollment.objects.get(user=enrolled)
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.final_score is None
    assert not LessonCompletion.objects.filter(lesson=quiz).exists()
    assert not Certificate.objects.exists()
    # The other lessons done do not complete the course while the post-test is not passed.
    assert (
        progress.course_completion_rule_holds(enrollment=enrollment, course=enrollment.course)
        is False
    )


@pytest.mark.django_db
def test_post_test_passed_before_the_last_lesson_keeps_the_best_score(enrolled, lesson, quiz):
    answers = correct_answers(quiz)
    first = submit(enrolled, quiz, answers)
    assert first.passed
    enrollment = Enrollment.objects.get(user=enrolled)
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.pass_band == "Sangat Baik"

    progress.lesson_complete(user=enrolled, lesson=lesson)
    certificate = Certificate.objects.get(enrollment__user=enrolled)
    assert (certificate.final_score, certificate.pass_band) == (Decimal("100.00"), "Sangat Baik")


@pytest.mark.django_db
def test_a_pre_test_completes_its_lesson_when_taken_whatever_the_score(section, learner):
    course, _lesson, pre_test = course_with_quiz(section, title="Pra", role="pre_test")
    services.enrollment_create(user=learner, course=course)
    attempt = submit(learner, pre_test, {})
    assert not attempt.passed
    assert LessonCompletion.objects.filter(lesson=pre_test).exists()
    assert Enrollment.objects.get(user=learner).final_score is None


@pytest.mark.django_db
def test_a_quiz_cannot_be_marked_as_done_without_passing_it(enrolled, quiz, client_for):
    response = client_for(enrolled).post(f"/api/v1/lessons/{quiz.pk}/completion")
    assert response.status_code >= 400
    assert not LessonCompletion.objects.filter(lesson=quiz).exists()


# Attempts and their limits


@pytest.mark.django_db
def test_starting_twice_returns_the_attempt_in_progress(enrolled, quiz):
    first = quiz_services.attempt_start(user=enrolled, quiz=quiz)
    again = quiz_services.attempt_start(user=enrolled, quiz=quiz)
    assert first.pk == again.pk and first.number == 1
    assert QuizAttempt.objects.count() == 1


@pytest.mark.django_db
def test_attempts_stop_at_the_limit(enrolled, quiz):
    QuizPage.objects.filter(pk=quiz.pk).update(max_attempts=2)
    quiz.refresh_from_db()
    submit(enrolled, quiz, {})
    submit(enrolled, quiz, {})
    with pytest.raises(quiz_services.AttemptsExhausted) as error:
        quiz_services.attempt_start(user=enrolled, quiz=quiz)
    assert error.value.code == "attempts_exhausted"
    assert list(QuizAttempt.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_an_attempt_left_to_expire_counts_and_a_new_one_can_start(enrolled, quiz):
    QuizPage.objects.filter(pk=quiz.pk).update(max_attempts=2, time_limit_minutes=10)
    quiz.refresh_from_db()
    first = quiz_services.attempt_start(user=enrolled, quiz=quiz)
    QuizAttempt.objects.filter(pk=first.pk).update(deadline=timezone.now() - timedelta(hours=1))
    second = quiz_services.attempt_start(user=enrolled, quiz=quiz)
    assert second.number == 2
    first.refresh_from_db()
    assert first.status == QuizAttempt.Status.EXPIRED
    quiz_services.attempt_submit(user=enrolled, attempt=second, answers={})
    with pytest.raises(quiz_services.AttemptsExhausted):
        quiz_services.attempt_start(user=enrolled, quiz=quiz)


@pytest.mark.django_db
def test_learners_not_enrolled_cannot_start(learner, quiz, course):
    with pytest.raises(errors.NotEnrolled):
        quiz_services.attempt_start(user=learner, quiz=quiz)
    course.enrollment_policy = "approval"
    course.save()
    services.enrollment_create(user=learner, course=course)  # pending
    with pytest.raises(errors.NotEnrolled):
        quiz_services.attempt_start(user=learner, quiz=quiz)
    assert not QuizAttempt.objects.exists()


@pytest.mark.django_db
def test_an_unpublished_quiz_cannot_be_started(enrolled, quiz):
    quiz.unpublish()
    with pytest.raises(quiz_services.QuizUnavailable):
        quiz_services.attempt_start(user=enrolled, quiz=QuizPage.objects.get(pk=quiz.pk))


@pytest.mark.django_db
def test_deadline_follows_the_time_limit(enrolled, quiz):
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=15)
    attempt = quiz_services.attempt_start(user=enrolled, quiz=QuizPage.objects.get(pk=quiz.pk))
    assert attempt.deadline - attempt.started_at == timedelta(minutes=15)


@pytest.mark.django_db
def test_shuffled_attempts_keep_every_question_and_option(enrolled, quiz):
    QuizPage.objects.filter(pk=quiz.pk).update(shuffle_questions=True, shuffle_options=True)
    attempt = quiz_services.attempt_start(user=enrolled, quiz=QuizPage.objects.get(pk=quiz.pk))
    stored = {child.id: child for child in questions_of(quiz)}
    assert {entry["id"] for entry in attempt.question_order} == set(stored)
    for entry in attempt.question_order:
        expected = option_ids(stored[entry["id"]])
        assert sorted(entry["options"]) == sorted(expected)
        if stored[entry["id"]].block_type == "true_false":
            assert entry["options"] == expected  # Benar, Salah: never shuffled


# Time limit


@pytest.mark.django_db
def test_a_submission_after_deadline_and_grace_is_refused_and_changes_nothing(
    enrolled, lesson, quiz, settings
):
    settings.LENTERA_QUIZ_GRACE_SECONDS = 30
    progress.lesson_complete(user=enrolled, lesson=lesson)
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=10)
    attempt = quiz_services.attempt_start(user=enrolled, quiz=QuizPage.objects.get(pk=quiz.pk))
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=31)
    )
    with pytest.raises(quiz_services.AttemptExpired) as error:
        quiz_services.attempt_submit(user=enrolled, attempt=attempt, answers=correct_answers(quiz))
    assert error.value.code == "expired"
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.EXPIRED
    assert (attempt.answers, attempt.score, attempt.passed) == ({}, None, False)
    assert not LessonCompletion.objects.filter(lesson=quiz).exists()
    assert not LearningRecord.objects.filter(verb=LearningRecord.Verb.QUIZ_ATTEMPTED).exists()
    assert Enrollment.objects.get(user=enrolled).status == Enrollment.Status.ACTIVE
    # Submitting again is refused too.
    with pytest.raises(quiz_services.AttemptExpired):
        quiz_services.attempt_submit(user=enrolled, attempt=attempt, answers=correct_answers(quiz))


@pytest.mark.django_db
def test_a_submission_within_the_grace_period_is_accepted(enrolled, quiz, settings):
    settings.LENTERA_QUIZ_GRACE_SECONDS = 30
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=10)
    attempt = quiz_services.attempt_start(user=enrolled, quiz=QuizPage.objects.get(pk=quiz.pk))
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=20)
    )
    attempt = quiz_services.attempt_submit(
        user=enrolled, attempt=attempt, answers=correct_answers(quiz)
    )
    assert attempt.status == QuizAttempt.Status.SUBMITTED and attempt.passed


# Replay and tampering


@pytest.mark.django_db
def test_a_submitted_attempt_cannot_be_submitted_again(enrolled, quiz):
    attempt = submit(enrolled, quiz, {})
    with pytest.raises(quiz_services.AttemptClosed) as error:
        quiz_services.attempt_submit(user=enrolled, attempt=attempt, answers=correct_answers(quiz))
    assert error.value.code == "already_submitted"
    attempt.refresh_from_db()
    assert attempt.points == 0 and not attempt.passed
    assert LearningRecord.objects.filter(verb=LearningRecord.Verb.QUIZ_ATTEMPTED).count() == 1


@pytest.mark.django_db
def test_another_learners_attempt_cannot_be_submitted(enrolled, quiz, course):
    attempt = quiz_services.attempt_start(user=enrolled, quiz=quiz)
    intruder = UserFactory(email="penyusup@instansi.go.id")
    services.enrollment_create(user=intruder, course=course)
    with pytest.raises(quiz_services.AttemptNotFound):
        quiz_services.attempt_submit(user=intruder, attempt=attempt, answers=correct_answers(quiz))
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.IN_PROGRESS and attempt.answers == {}


@pytest.mark.django_db
def test_scores_use_the_stored_questions_not_the_callers_copy(enrolled, quiz):
    """A tampered in-memory quiz (every option "correct") changes nothing: the server reloads."""
    attempt = quiz_services.attempt_start(user=enrolled, quiz=quiz)
    child = next(child for child in quiz.questions if child.block_type == "single_choice")
    for option in child.value["options"]:
        option["is_correct"] = True
    attempt.quiz = quiz
    answers = {child.id: option_ids(child)[1:2]}
    attempt = quiz_services.attempt_submit(user=enrolled, attempt=attempt, answers=answers)
    assert attempt.points == 0


# HTML pages


def assert_no_secrets(content: str) -> None:
    for secret in SECRETS:
        assert secret not in content, secret


@pytest.mark.django_db
def test_quiz_pages_before_submission_never_contain_the_answers(enrolled, quiz, client_for):
    client = client_for(enrolled)
    intro = client.get(quiz.url)
    assert intro.status_code == 200
    assert_no_secrets(intro.content.decode())

    response = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(user=enrolled)
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert_no_secrets(html)
    # The questions and every option are there, as inputs, without any correctness flag.
    for child in questions_of(quiz):
        assert f'name="q-{child.id}"' in html
        for option_id in option_ids(child):
            assert f'value="{option_id}"' in html
    assert "<fieldset" in html and "<legend" in html
    assert "data-correct" not in html and not inline_scripts(html)


@pytest.mark.django_db
def test_wagtail_api_and_search_index_never_expose_answers(quiz, client):
    detail = client.get(f"/api/v2/pages/{quiz.pk}/?fields=*")
    assert detail.status_code == 200
    body = detail.json()
    assert body["meta"]["type"] == "quizzes.QuizPage"
    assert body["pass_mark"] == 70 and body["question_count"] == 4
    assert "questions" not in body and "pass_bands" not in body
    assert_no_secrets(detail.content.decode())

    listing = client.get("/api/v2/pages/?type=quizzes.QuizPage&fields=*")
    assert listing.status_code == 200 and listing.json()["meta"]["total_count"] == 1
    assert_no_secrets(listing.content.decode())
    assert client.get("/api/v2/pages/?type=quizzes.QuizPage&fields=questions").status_code == 400

    for secret in [*ACCEPTED_ANSWERS, "Kesamaan hak"]:
        found = client.get("/api/v2/pages/", {"search": secret}).json()["items"]
        assert quiz.pk not in [item["id"] for item in found], secret
    for entry in IndexEntry.objects.filter(object_id=str(quiz.pk)):
        indexed = " ".join([entry.title, entry.body, entry.autocomplete])
        assert_no_secrets(indexed)
        assert "Kesamaan hak" not in indexed


@pytest.mark.django_db
def test_html_journey_start_answer_submit_result(enrolled, lesson, quiz, client_for):
    progress.lesson_complete(user=enrolled, lesson=lesson)
    client = client_for(enrolled)
    client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(user=enrolled)
    form = {f"q-{key}": value for key, value in correct_answers(quiz).items()}
    response = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), form)
    assert response.status_code == 302
    result = client.get(response["Location"])
    html = result.content.decode()
    assert result.status_code == 200
    assert "Sangat Baik" in html and "100%" in html
    assert "PENJELASAN-RAHASIA 1" in html and "Zona Integritas" in html  # now shown
    certificate = Certificate.objects.get(enrollment__user=enrolled)
    assert certificate.pass_band == "Sangat Baik"
    assert reverse("learners:certificate_pdf", args=[certificate.code]) in html
    # The attempt page of a submitted attempt leads to its result.
    assert client.get(reverse("quizzes:attempt", args=[attempt.pk]))["Location"] == (
        reverse("quizzes:attempt_result", args=[attempt.pk])
    )
    intro = client.get(quiz.url).content.decode()
    assert "Sangat Baik" in intro


@pytest.mark.django_db
def test_another_learners_attempt_pages_are_404_and_nothing_changes(
    enrolled, quiz, course, client_for
):
    attempt = quiz_services.attempt_start(user=enrolled, quiz=quiz)
    intruder = UserFactory(email="penyusup.html@instansi.go.id")
    services.enrollment_create(user=intruder, course=course)
    client = client_for(intruder)
    form = {f"q-{key}": value for key, value in correct_answers(quiz).items()}
    assert client.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).status_code == 404
    submit_url = reverse("quizzes:attempt_submit", args=[attempt.pk])
    assert client.post(submit_url, form).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.IN_PROGRESS and attempt.answers == {}


@pytest.mark.django_db
def test_a_late_html_submission_is_refused_with_a_message(enrolled, quiz, client_for):
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=5)
    client = client_for(enrolled)
    client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(user=enrolled)
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert f'<time datetime="{timezone.localtime(attempt.deadline).isoformat()}' in page
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    form = {f"q-{key}": value for key, value in correct_answers(quiz).items()}
    response = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), form, follow=True)
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.EXPIRED and attempt.score is None
    assert "message--error" in response.content.decode()


@pytest.mark.django_db
def test_quiz_page_tells_visitors_how_to_take_it(quiz, course, learner, client, client_for):
    anonymous = client.get(quiz.url).content.decode()
    assert reverse("account_login") in anonymous
    not_enrolled = client_for(learner).get(quiz.url).content.decode()
    assert course.url in not_enrolled
    assert reverse("quizzes:attempt_start", args=[quiz.pk]) not in not_enrolled
    services.enrollment_create(user=learner, course=course)
    enrolled = client_for(learner).get(quiz.url).content.decode()
    assert reverse("quizzes:attempt_start", args=[quiz.pk]) in enrolled


@pytest.mark.django_db
def test_quiz_page_queries_do_not_grow_with_attempts(enrolled, quiz, client_for):
    client = client_for(enrolled)
    submit(enrolled, quiz, {})
    one = count_queries(client, quiz.url)
    for _ in range(4):
        submit(enrolled, quiz, {})
    assert count_queries(client, quiz.url) == one


@pytest.mark.django_db
def test_quiz_in_the_course_outline_counts_as_a_lesson(enrolled, course, quiz, client_for):
    html = client_for(enrolled).get(course.url).content.decode()
    assert quiz.title in html
    assert quiz.pk in course_required_lesson_ids(course)


# Concurrency


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("concurrent_database")
def test_concurrent_starts_and_submissions_never_exceed_the_attempt_limit(provider_a):
    """Twelve threads, each on its own connection, start and submit attempts at once: never
    more than the quiz's three.

    On PostgreSQL the enrollment's row lock serializes them; on SQLite (a file in WAL mode,
    `concurrent_database`) each service's IMMEDIATE transaction takes the database's one write
    lock, so the race cannot happen inside them there: the test proves the outcome exact.
    """
    _course, _lesson, quiz = course_with_quiz(
        provider_page_of(provider_a), title="Serentak", max_attempts=3
    )
    learner = UserFactory(email="serentak.kuis@instansi.go.id")
    services.enrollment_create(user=learner, course=quiz.get_parent().get_parent().specific)

    def work():
        for _ in range(5):
            try:
                attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
                quiz_services.attempt_submit(user=learner, attempt=attempt, answers={})
            except (quiz_services.AttemptClosed, quiz_services.AttemptsExhausted):
                pass

    assert race(*[work] * 12) == [None] * 12
    attempts = QuizAttempt.objects.filter(user=learner, quiz=quiz)
    assert sorted(attempts.values_list("number", flat=True)) == [1, 2, 3]
    assert attempts.filter(status=QuizAttempt.Status.SUBMITTED).count() == 3
    assert (
        LearningRecord.objects.filter(
            verb=LearningRecord.Verb.QUIZ_ATTEMPTED, actor=learner
        ).count()
        == 3
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("concurrent_database")
def test_concurrent_submissions_of_one_attempt_score_it_once(provider_a):
    """Ten threads submit one attempt at once: it is scored once, one certificate follows.

    On PostgreSQL the enrollment's row lock serializes them; on SQLite (a file in WAL mode,
    `concurrent_database`) each service's IMMEDIATE transaction takes the database's one write
    lock, so the race cannot happen inside them there: the test proves the outcome exact.
    """
    _course, lesson, quiz = course_with_quiz(provider_page_of(provider_a), title="Sekali")
    learner = UserFactory(email="sekali.kuis@instansi.go.id")
    services.enrollment_create(user=learner, course=quiz.get_parent().get_parent().specific)
    progress.lesson_complete(user=learner, lesson=lesson)
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
    answers = correct_answers(quiz)

    def work():
        try:
            quiz_services.attempt_submit(user=learner, attempt=attempt, answers=answers)
        except quiz_services.AttemptClosed:
            return "closed"
        return "ok"

    outcomes = race(*[work] * 10)

    assert sorted(outcomes, key=str) == ["closed"] * 9 + ["ok"]
    assert Certificate.objects.filter(enrollment__user=learner).count() == 1
    assert LessonCompletion.objects.filter(lesson=quiz).count() == 1


# Demo content


@pytest.mark.parametrize("slug", sorted(DEMO_QUIZZES))
def test_demo_questions_are_valid(slug):
    block = QuestionStreamBlock()
    for questions in DEMO_QUIZZES[slug]:
        block.clean(block.to_python(questions))


@pytest.mark.django_db
def test_seed_quizzes_adds_a_pre_test_first_and_a_post_test_last_once(section):
    course = course_with_lessons(
        provider_page=section, title="Integritas", slug="integritas-dan-antikorupsi-asn"
    )
    created = seed_quizzes()
    assert [quiz.role for quiz in created] == ["pre_test", "post_test"]
    assert seed_quizzes() == []
    sequence = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    assert sequence[0].specific.role == QuizPage.Role.PRE_TEST
    assert sequence[-1].specific.role == QuizPage.Role.POST_TEST
    assert sequence[-1].specific.pass_band_for(Decimal("85")) == "Baik"
    pre_test, post_test = sequence[0].specific, sequence[-1].specific
    assert {pre_test.feedback_policy, post_test.feedback_policy} == {"after_final"}
    # The pre-test's four questions shared with the post-test are recognised as such.
    shared = post_test_question_keys(pre_test)
    assert sum(question_key(child.value["text"]) in shared for child in pre_test.questions) == 4


# Authoring in the Wagtail admin


def _list_block(items: list[dict]) -> dict:
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""}
        for index, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def _quiz_form(
    options: list[dict], *, role: str = "practice", feedback_policy: str = "after_final"
) -> dict:
    return nested_form_data(
        {
            "title": "Kuis Etika",
            "slug": "kuis-etika",
            "estimated_minutes": "10",
            "required_for_completion": "on",
            "body": streamfield([("paragraph", rich_text("<p>Jawab semua soal.</p>"))]),
            "role": role,
            "feedback_policy": feedback_policy,
            "pass_mark": "70",
            "questions": streamfield(
                [
                    (
                        "single_choice",
                        {
                            "text": "Apa asas pelayanan publik?",
                            "options": _list_block(options),
                            "explanation": "",
                            "points": "1",
                        },
                    )
                ]
            ),
            "pass_bands": streamfield([]),
            "action-publish": "publish",
        }
    )


@pytest.mark.django_db
def test_editors_author_quizzes_and_a_wrong_answer_key_is_refused(course, client_for):
    admin = client_for(
        UserFactory(email="admin.kuis@instansi.go.id", is_staff=True, is_superuser=True)
    )
    module = ModulePage.objects.child_of(course).first()
    url = reverse("wagtailadmin_pages:add", args=("quizzes", "quizpage", module.pk))
    assert admin.get(url).status_code == 200

    two_correct = [
        {"text": "Kesamaan hak", "is_correct": "on"},
        {"text": "Akuntabel", "is_correct": "on"},
    ]
    response = admin.post(url, _quiz_form(two_correct))
    assert response.status_code == 200
    assert "questions" in response.context["form"].errors
    assert not QuizPage.objects.filter(slug="kuis-etika").exists()

    one_correct = [{"text": "Kesamaan hak", "is_correct": "on"}, {"text": "Akuntabel"}]
    # Answers after every attempt would hand out a graded test's key.
    response = admin.post(url, _quiz_form(one_correct, role="post_test", feedback_policy="always"))
    assert response.status_code == 200
    assert response.context["form"].errors["feedback_policy"] == [
        "Answers after every attempt are allowed for practice quizzes only: a pre-test or "
        "post-test would hand out its answer key."
    ]
    assert not QuizPage.objects.filter(slug="kuis-etika").exists()

    response = admin.post(url, _quiz_form(one_correct, feedback_policy="always"))
    assert response.status_code == 302
    quiz = QuizPage.objects.get(slug="kuis-etika")
    assert quiz.live and quiz.get_parent().pk == module.pk
    assert quiz.feedback_policy == QuizPage.FeedbackPolicy.ALWAYS
    [child] = list(quiz.questions)
    ids = [option_id for option_id, _option in child.block.option_items(child.value)]
    assert len(set(ids)) == 2 and all(len(i) == 36 for i in ids)  # stable UUIDs from Wagtail

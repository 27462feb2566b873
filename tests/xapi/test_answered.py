""" "answered": one statement per question of a submitted quiz attempt, read back from a real LRS
(Ralph): the question as a cmi.interaction under its quiz, the response, whether it was right."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from courses.models import ModulePage
from learners.factories import UserFactory
from learners.services import enrollment_create
from quizzes import services as quiz_services
from quizzes.factories import QuizPageFactory, short_answer, single_choice, true_false
from quizzes.models import QuizPage
from tests.quizzes.quiz_helpers import option_ids
from xapi.models import Actor, Delivery
from xapi.services import delivery_send
from xapi.statements import registration_for
from xapi.tasks import quiz_answers_queue

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"


def answered_of(lrs, user) -> dict[str, dict]:
    """The learner's "answered" statements, by question block id."""
    account = str(Actor.objects.get(user=user).name)
    return {
        statement["object"]["id"].rsplit("#question-", 1)[1]: statement
        for statement in lrs.statements_of(account)
        if statement["verb"]["id"] == ADL + "answered"
    }


@pytest.fixture
def quiz(course_a) -> QuizPage:
    module = ModulePage.objects.child_of(course_a).first()
    made = QuizPageFactory(
        parent=module,
        title="Kuis Pelayanan",
        questions=[
            single_choice(
                "Asas yang menjamin setiap warga dilayani sama adalah…",
                [("Kesamaan hak", True), ("Keprofesionalan", False)],
            ),
            short_answer("Singkatan dari Aparatur Sipil Negara adalah…", ["ASN"], points=2),
            true_false("Standar pelayanan wajib dipublikasikan.", true=True),
        ],
    )
    return QuizPage.objects.get(pk=made.pk)  # the block ids as stored


def submit(learner, quiz, capture) -> tuple:
    """An attempt with the choice right, the short answer wrong and the true/false left blank."""
    choice, text, _blank = list(quiz.questions)
    with capture(execute=True):
        attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
        quiz_services.attempt_submit(
            user=learner,
            attempt=attempt,
            answers={choice.id: option_ids(choice, "Kesamaan hak"), text.id: "PNS"},
        )
    attempt.refresh_from_db()
    return attempt, choice, text, _blank


def test_each_question_of_an_attempt_is_answered_once_with_its_response_and_success(
    lrs, course_a, quiz, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    enrollment, _ = enrollment_create(user=learner, course=course_a)
    attempt, choice, text, blank = submit(learner, quiz, django_capture_on_commit_callbacks)

    answered = answered_of(lrs, learner)
    assert set(answered) == {choice.id, text.id, blank.id}
    quiz_id = "http://testserver" + quiz.url
    right = answered[choice.id]
    assert right["object"]["id"] == f"{quiz_id}#question-{choice.id}"
    definition = right["object"]["definition"]
    assert definition["type"] == INTERACTION
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == option_ids(choice, "Kesamaan hak")
    assert [c["description"]["id-id"] for c in definition["choices"]] == [
        "Kesamaan hak",
        "Keprofesionalan",
    ]
    assert right["result"]["response"] == option_ids(choice, "Kesamaan hak")[0]
    assert right["result"]["success"] is True
    assert right["result"]["score"] == {"scaled": 1.0, "raw": 1, "min": 0, "max": 1}

    wrong = answered[text.id]
    assert wrong["object"]["definition"]["interactionType"] == "fill-in"
    assert wrong["object"]["definition"]["correctResponsesPattern"] == ["{case_matters=false}ASN"]
    assert wrong["result"]["response"] == "PNS"
    assert wrong["result"]["success"] is False
    assert wrong["result"]["score"]["raw"] == 0
    assert wrong["result"]["score"]["max"] == 2
    # Left blank: counted wrong by the quiz, so told as a wrong empty response.
    assert answered[blank.id]["result"]["success"] is False

    for statement in answered.values():
        context = statement["context"]
        assert context["registration"] == registration_for(enrollment.pk)
        assert context["contextActivities"]["parent"][0]["id"] == quiz_id
        assert context["contextActivities"]["grouping"][0]["id"] == (
            "http://testserver" + course_a.url
        )
        assert context["extensions"]["http://testserver/xapi/extensions/quiz-attempt"] == 1
    # The quiz's own statement is still there, beside its answers.
    verbs = Counter(s["verb"]["id"] for s in lrs.statements_of(str(learner.xapi_actor.name)))
    assert verbs[ADL + "failed"] == 1

    # Queued or sent again: still one statement per question.
    assert quiz_answers_queue(attempt_id=attempt.pk) == 0
    delivery = Delivery.objects.get(source_id=f"{attempt.pk}:{choice.id}")
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
    assert delivery_send(delivery_id=delivery.pk).status == Delivery.Status.SENT
    assert Delivery.objects.filter(source=Delivery.Source.QUIZ_ANSWER).count() == 3
    assert len(answered_of(lrs, learner)) == 3


def test_backfill_sends_the_answers_of_attempts_made_before_xapi_was_on(
    lrs, course_a, quiz, settings, django_capture_on_commit_callbacks
):
    settings.LENTERA_XAPI_ENDPOINT = ""
    learner = UserFactory()
    enrollment_create(user=learner, course=course_a)
    attempt, choice, text, blank = submit(learner, quiz, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()
    # The true/false question is deleted after the attempt: told from what the attempt kept.
    del quiz.questions[[child.id for child in quiz.questions].index(blank.id)]
    quiz.save()

    settings.LENTERA_XAPI_ENDPOINT = lrs.endpoint
    output = io.StringIO()
    call_command("xapi_backfill", "--batch-size", "2", stdout=output)
    call_command("xapi_backfill", stdout=output)  # again: nothing more

    answered = answered_of(lrs, learner)
    assert set(answered) == {choice.id, text.id, blank.id}
    assert answered[text.id]["result"]["response"] == "PNS"
    assert answered[text.id]["timestamp"].startswith(attempt.submitted_at.strftime("%Y-%m-%dT"))
    deleted = answered[blank.id]
    assert deleted["result"] == {"response": ""}  # right or wrong: nothing can tell any more
    assert deleted["object"]["definition"]["interactionType"] == "choice"
    assert Counter(
        Delivery.objects.filter(source=Delivery.Source.QUIZ_ANSWER).values_list("status", flat=True)
    ) == {Delivery.Status.SENT: 3}


def test_queueing_an_attempts_answers_takes_the_same_queries_for_3_or_12_questions(
    lrs, course_a, quiz, settings, django_assert_num_queries
):
    settings.LENTERA_XAPI_ENDPOINT = ""  # submitted without queueing; queued by hand below
    module = ModulePage.objects.child_of(course_a).first()
    longer = QuizPageFactory(
        parent=module,
        questions=[
            short_answer(f"Pertanyaan {number}", [f"jawaban {number}"]) for number in range(12)
        ],
    )
    learner = UserFactory()
    enrollment_create(user=learner, course=course_a)
    attempts = []
    for each in (quiz, QuizPage.objects.get(pk=longer.pk)):
        attempt = quiz_services.attempt_start(user=learner, quiz=each)
        quiz_services.attempt_submit(user=learner, attempt=attempt, answers={})
        attempts.append(attempt)
    settings.LENTERA_XAPI_ENDPOINT = lrs.endpoint

    # The attempt, one insert, the pending ids (sending is queued after the commit).
    for attempt, questions in zip(attempts, (3, 12), strict=True):
        with django_assert_num_queries(3):
            assert quiz_answers_queue(attempt_id=attempt.pk) == questions

"""Quiz endpoints of the learner API (/api/v1/), a router `lentera.learner_api` adds.

Same session authentication, CSRF and error handlers as the rest of the learner API. Starting an
attempt returns its questions without answers; only the submission's answer carries
correctness, explanations and the correct answers, and only when the quiz's feedback policy
allows it (`feedback_shown`). A pre-test has a score and no verdict (`passed` is null). Quiz ids
are Wagtail page ids; an attempt id of another learner answers 404, as an unknown one does.

An untimed quiz can also be answered offline: the device stores a quiz paper (its questions,
still without answers, and a signed token) and sends the answers when it is back online; the
server scores them as one attempt (`quiz_services.paper_issue`, `offline_submission`).
"""

import uuid
from datetime import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from core.api import INVALID_INPUT, NOT_SIGNED_IN
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt, QuizPage

router = Router(tags=["quizzes"])


class ErrorOut(Schema):
    code: str
    detail: str


class OptionOut(Schema):
    id: str
    text: str


class QuestionOut(Schema):
    id: str
    kind: str = Field(description="single_choice, multiple_choice, true_false or short_answer")
    text: str
    options: list[OptionOut] = Field(description="Empty for short answers")
    points: int


class AttemptOut(Schema):
    id: int
    quiz_id: int
    quiz_title: str
    number: int
    status: str
    started_at: datetime
    deadline: datetime | None = Field(description="Submit before this (plus a short grace)")
    questions: list[QuestionOut]


class SubmissionIn(Schema):
    answers: dict[str, list[str] | str] = Field(
        default_factory=dict,
        description="Question id: option ids (choice kinds) or the text (short answer)",
    )


class OptionFeedbackOut(Schema):
    id: str
    text: str
    is_correct: bool | None = Field(description="Null when the question is not revealed")
    chosen: bool


class FeedbackOut(Schema):
    question_id: str
    kind: str
    text: str
    points: int
    earned: int | None
    correct: bool | None
    explanation: str
    options: list[OptionFeedbackOut]
    answer: list[str] | str
    correct_answer: list[str] = Field(
        description="Correct option ids, or every accepted short answer"
    )
    revealed: bool = Field(
        description="False for a question the post-test also asks: its answer is withheld"
    )


PASSED_DESCRIPTION = "Null for a pre-test, which has a score and no verdict"


class ResultOut(Schema):
    id: int
    quiz_id: int
    number: int
    status: str
    score: Decimal | None
    points: int | None
    max_points: int | None
    passed: bool | None = Field(description=PASSED_DESCRIPTION)
    pass_band: str
    submitted_at: datetime | None
    lesson_completed: bool
    course_completed: bool
    certificate_code: str | None
    feedback_shown: bool = Field(
        description="Whether the quiz's feedback policy shows the answers now"
    )
    feedback: list[FeedbackOut] = Field(description="Empty unless feedback_shown")


class PaperOut(Schema):
    quiz_id: int
    title: str
    token: str = Field(
        description="Send it back with the answers; it binds you, the quiz and the draw"
    )
    timed: bool = Field(description="Always false: timed quizzes need a connection")
    questions: list[QuestionOut]


class OfflineSubmissionIn(Schema):
    event_id: uuid.UUID = Field(description="Made on the device; sending it again is safe")
    token: str = Field(description="The quiz paper's token")
    answers: dict[str, list[str] | str] = Field(
        default_factory=dict,
        description="Question id: option ids (choice kinds) or the text (short answer)",
    )
    answered_at: datetime | None = Field(
        default=None, description="When the device says it was answered (kept as information)"
    )


class OfflineResultOut(ResultOut):
    result_url: str = Field(description="The result page of the attempt")


class AttemptSummaryOut(Schema):
    id: int
    quiz_id: int
    quiz_title: str
    role: str = Field(description="practice, pre_test or post_test")
    enrollment_id: int
    number: int
    status: str
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    score: Decimal | None
    passed: bool | None = Field(description=PASSED_DESCRIPTION)
    pass_band: str
    feedback_shown: bool = Field(
        description="Whether the submission's answers and explanations may be seen now"
    )


def _verdict(attempt: QuizAttempt, quiz: QuizPage) -> bool | None:
    return None if quiz.role == QuizPage.Role.PRE_TEST else attempt.passed


def _attempt_out(attempt: QuizAttempt, quiz: QuizPage) -> dict:
    return {
        "id": attempt.pk,
        "quiz_id": quiz.pk,
        "quiz_title": quiz.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "questions": quiz_selectors.attempt_questions(attempt, quiz=quiz),
    }


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={
        200: AttemptOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **NOT_SIGNED_IN,
        **INVALID_INPUT,
    },
    summary="Start an attempt (or resume the one in progress); questions come without answers",
)
def start_attempt(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage.objects.live().public(), pk=quiz_id)
    attempt = quiz_services.attempt_start(user=request.user, quiz=quiz)
    return _attempt_out(attempt, attempt.quiz)


@router.post(
    "/attempts/{attempt_id}/submission",
    response={
        200: ResultOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **NOT_SIGNED_IN,
        **INVALID_INPUT,
    },
    summary="Submit an attempt's answers; returns the score and per-question feedback",
)
def submit_attempt(request, attempt_id: int, payload: SubmissionIn):
    attempt = get_object_or_404(QuizAttempt, pk=attempt_id, user=request.user)
    attempt = quiz_services.attempt_submit(
        user=request.user, attempt=attempt, answers=payload.answers
    )
    return _result_out(attempt)


def _result_out(attempt: QuizAttempt) -> dict:
    result = quiz_selectors.attempt_result(attempt)
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "status": attempt.status,
        "score": attempt.score,
        "points": attempt.points,
        "max_points": attempt.max_points,
        "passed": _verdict(attempt, attempt.quiz),
        "pass_band": attempt.pass_band,
        "submitted_at": attempt.submitted_at,
        "lesson_completed": result.lesson_completed,
        "course_completed": result.course_completed,
        "certificate_code": result.certificate.code if result.certificate else None,
        "feedback_shown": result.feedback_shown,
        "feedback": [
            {
                "question_id": item.id,
                "kind": item.kind,
                "text": item.text,
                "points": item.points,
                "earned": item.earned,
                "correct": item.correct,
                "explanation": item.explanation,
                "options": item.options,
                "answer": item.answer,
                "correct_answer": item.correct_answer,
                "revealed": item.revealed,
            }
            for item in result.feedback
        ],
    }


@router.get(
    "/quizzes/{quiz_id}/paper",
    response={
        200: PaperOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **NOT_SIGNED_IN,
        **INVALID_INPUT,
    },
    summary="A quiz paper to answer offline: questions without answers and a signed token",
)
def quiz_paper(request, quiz_id: int, response: HttpResponse):
    quiz = get_object_or_404(QuizPage.objects.live().public(), pk=quiz_id)
    paper = quiz_services.paper_issue(user=request.user, quiz=quiz)
    # Personal (the learner's draw and token): never kept by a cache on the way.
    response["Cache-Control"] = "private, no-store"
    return {
        "quiz_id": paper.quiz.pk,
        "title": paper.quiz.title,
        "token": paper.token,
        "timed": False,
        "questions": paper.questions,
    }


@router.post(
    "/quizzes/{quiz_id}/offline-submissions",
    response={
        200: OfflineResultOut,
        201: OfflineResultOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **NOT_SIGNED_IN,
        **INVALID_INPUT,
    },
    summary="Submit a quiz paper answered offline (idempotent; event_id makes retries safe)",
)
def submit_offline(request, quiz_id: int, payload: OfflineSubmissionIn):
    # Not only live quizzes: one unpublished since its paper was saved is refused with a
    # reason the learner can read (`not_live`), after the paper's token is checked.
    quiz = get_object_or_404(QuizPage.objects.public(), pk=quiz_id)
    result = quiz_services.offline_submission(
        user=request.user,
        quiz=quiz,
        token=payload.token,
        answers=payload.answers,
        event_id=payload.event_id,
        answered_at=payload.answered_at,
    )
    attempt = result.attempt
    return Status(
        201 if result.created else 200,
        {
            **_result_out(attempt),
            "result_url": reverse("quizzes:attempt_result", args=[attempt.pk]),
        },
    )


@router.get(
    "/me/attempts",
    response={200: list[AttemptSummaryOut], **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="My quiz attempts",
)
def my_attempts(request, quiz_id: int | None = None):
    attempts = list(quiz_selectors.my_attempts(user=request.user, quiz_id=quiz_id))
    shown = quiz_selectors.feedback_shown_by_attempt(user=request.user, attempts=attempts)
    return [
        {
            "id": attempt.pk,
            "quiz_id": attempt.quiz_id,
            "quiz_title": attempt.quiz.title,
            "role": attempt.quiz.role,
            "enrollment_id": attempt.enrollment_id,
            "number": attempt.number,
            "status": quiz_selectors.attempt_status(attempt),
            "started_at": attempt.started_at,
            "deadline": attempt.deadline,
            "submitted_at": attempt.submitted_at,
            "score": attempt.score,
            "passed": _verdict(attempt, attempt.quiz),
            "pass_band": attempt.pass_band,
            "feedback_shown": shown[attempt.pk],
        }
        for attempt in attempts
    ]

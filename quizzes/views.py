"""Quiz attempts as HTML pages (no JavaScript needed). Thin: the rules live in quiz_services.

An attempt belongs to one learner: anybody else gets a 404, as for an id that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from courses.models import CoursePage
from learners.errors import LearningError
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt, QuizPage

# Form fields are named after the question's block id.
ANSWER_PREFIX = "q-"


def _own_attempt(request, attempt_id: int) -> QuizAttempt:
    return get_object_or_404(
        QuizAttempt.objects.select_related("quiz"), pk=attempt_id, user=request.user
    )


def _course_of(quiz: QuizPage) -> CoursePage | None:
    return CoursePage.objects.ancestor_of(quiz).defer_streamfields().first()


@require_POST
@login_required
def attempt_start(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage.objects.live().public(), pk=quiz_id)
    try:
        attempt = quiz_services.attempt_start(user=request.user, quiz=quiz)
    except LearningError as error:
        messages.error(request, error.message)
        return redirect(quiz.get_url(request))
    return redirect("quizzes:attempt", attempt.pk)


@login_required
def attempt_detail(request, attempt_id: int):
    """The questions of an attempt in progress, as a plain form."""
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_in_progress:
        return redirect("quizzes:attempt_result", attempt.pk)
    return TemplateResponse(
        request,
        "quizzes/quiz_attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "course": _course_of(attempt.quiz),
            "questions": quiz_selectors.attempt_questions(attempt),
            "overdue": quiz_selectors.attempt_is_overdue(attempt),
            "answer_prefix": ANSWER_PREFIX,
        },
    )


@require_POST
@login_required
def attempt_submit(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    answers = {
        key.removeprefix(ANSWER_PREFIX): request.POST.getlist(key)
        for key in request.POST
        if key.startswith(ANSWER_PREFIX)
    }
    try:
        quiz_services.attempt_submit(user=request.user, attempt=attempt, answers=answers)
    except LearningError as error:
        messages.error(request, error.message)
    return redirect("quizzes:attempt_result", attempt.pk)


@login_required
def attempt_result(request, attempt_id: int):
    """Score, pass or fail, pass band and per-question feedback of a finished attempt."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_in_progress and not quiz_selectors.attempt_is_overdue(attempt):
        return redirect("quizzes:attempt", attempt.pk)
    quiz = attempt.quiz
    intro = quiz_selectors.quiz_intro(user=request.user, quiz=quiz, course=_course_of(quiz))
    return TemplateResponse(
        request,
        "quizzes/quiz_result.html",
        {
            "attempt": attempt,
            "status": quiz_selectors.attempt_status(attempt),
            "quiz": quiz,
            "course": intro.course,
            "intro": intro,
            "result": quiz_selectors.attempt_result(attempt),
        },
    )

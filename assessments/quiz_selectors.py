"""Reads for quizzes: what a learner sees before an attempt, during it, and after submitting.

Everything shown before submission goes through `attempt_questions`, which builds questions from
the blocks' `public()` representation: text, option texts and points, never correctness,
explanations or accepted answers. Feedback (`attempt_result`) exists only for submitted attempts.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from assessments.models import QuizAttempt, QuizPage
from courses.models import CoursePage
from learners.models import Certificate, Enrollment, LessonCompletion, User

# Enrollments that may take a course's quizzes (a completed learner may still practise).
QUIZ_ENROLLMENT_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED)


def grace_period() -> timedelta:
    """Slack after the deadline for a submission already on its way (slow networks)."""
    return timedelta(seconds=getattr(settings, "LENTERA_QUIZ_GRACE_SECONDS", 30))


def attempt_is_overdue(attempt: QuizAttempt, *, now: datetime | None = None) -> bool:
    """Past its deadline and the grace period: the server no longer accepts it."""
    if attempt.deadline is None:
        return False
    return (now or timezone.now()) > attempt.deadline + grace_period()


def attempt_status(attempt: QuizAttempt, *, now: datetime | None = None) -> str:
    """The status to show: an attempt left in progress past its deadline has expired."""
    if attempt.is_in_progress and attempt_is_overdue(attempt, now=now):
        return QuizAttempt.Status.EXPIRED
    return attempt.status


def quiz_enrollment(*, user: User, quiz: QuizPage, course: CoursePage | None = None):
    """The enrollment a learner takes `quiz` under: the latest active or completed one."""
    if not user.is_authenticated:
        return None
    course = course or CoursePage.objects.ancestor_of(quiz).defer_streamfields().first()
    if course is None:
        return None
    return (
        Enrollment.objects.filter(user=user, course=course, status__in=QUIZ_ENROLLMENT_STATUSES)
        .order_by("-created_at")
        .first()
    )


def attempt_questions(attempt: QuizAttempt, *, quiz: QuizPage | None = None) -> list[dict]:
    """The attempt's questions, in the order it was given, as the learner may see them.

    Built from the quiz's current questions: a question deleted since the start is left out.
    """
    current = (quiz or attempt.quiz).questions_by_id()
    questions = []
    for entry in attempt.question_order:
        child = current.get(entry.get("id"))
        if child is None:
            continue
        question = child.block.public(child.value, option_order=entry.get("options"))
        questions.append({**question, "id": child.id, "kind": child.block_type})
    return questions


@dataclass
class QuizIntro:
    """What the quiz page shows one visitor: the rules, their attempts, whether they may start."""

    quiz: QuizPage
    course: CoursePage | None
    enrollment: Enrollment | None
    attempts: list[QuizAttempt] = field(default_factory=list)
    in_progress: QuizAttempt | None = None
    completed: bool = False

    @property
    def attempts_used(self) -> int:
        return sum(1 for attempt in self.attempts if not attempt.is_in_progress)

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.max_attempts is None:
            return None
        return max(0, self.quiz.max_attempts - self.attempts_used)

    @property
    def can_start(self) -> bool:
        return self.enrollment is not None and (
            self.in_progress is not None or self.attempts_left is None or self.attempts_left > 0
        )

    @property
    def best_score(self) -> Decimal | None:
        scores = [attempt.score for attempt in self.attempts if attempt.score is not None]
        return max(scores) if scores else None

    @property
    def passed(self) -> bool:
        return any(attempt.passed for attempt in self.attempts)


def quiz_intro(*, user: User, quiz: QuizPage, course: CoursePage | None = None) -> QuizIntro:
    """The quiz page's state for `user`, in three queries whatever the number of attempts."""
    enrollment = quiz_enrollment(user=user, quiz=quiz, course=course)
    if enrollment is None:
        return QuizIntro(quiz=quiz, course=course, enrollment=None)
    attempts = list(
        QuizAttempt.objects.filter(user=user, quiz=quiz)
        .defer("answers", "question_order")
        .order_by("number")
    )
    in_progress = next(
        (a for a in attempts if a.is_in_progress and not attempt_is_overdue(a)), None
    )
    completed = LessonCompletion.objects.filter(enrollment=enrollment, lesson=quiz).exists()
    return QuizIntro(
        quiz=quiz,
        course=course,
        enrollment=enrollment,
        attempts=attempts,
        in_progress=in_progress,
        completed=completed,
    )


@dataclass
class QuestionFeedback:
    """One question after submission: the learner's answer, the right one, the explanation."""

    id: str
    kind: str
    text: str
    points: int
    earned: int
    correct: bool
    explanation: str
    # Choice kinds: [{"id", "text", "is_correct", "chosen"}]; empty for short answers.
    options: list[dict]
    # Choice kinds: option ids; short answer: the text given.
    answer: list[str] | str
    # Choice kinds: the correct option ids; short answer: every accepted answer.
    correct_answer: list[str]


@dataclass
class AttemptResult:
    """A finished attempt with its feedback, and what it changed in the course."""

    attempt: QuizAttempt
    feedback: list[QuestionFeedback]
    lesson_completed: bool
    course_completed: bool
    certificate: Certificate | None


def attempt_feedback(
    attempt: QuizAttempt, *, quiz: QuizPage | None = None
) -> list[QuestionFeedback]:
    """Per-question feedback of a submitted attempt (empty for any other attempt)."""
    if attempt.status != QuizAttempt.Status.SUBMITTED:
        return []
    quiz = quiz or attempt.quiz
    current = quiz.questions_by_id()
    feedback = []
    for public in attempt_questions(attempt, quiz=quiz):
        child = current[public["id"]]
        block, value = child.block, child.value
        raw = attempt.answers.get(public["id"])
        answer = block.answer_cleaned(value, raw)
        correct = block.is_correct(value, raw)
        correct_answer = block.correct_answer(value)
        feedback.append(
            QuestionFeedback(
                id=public["id"],
                kind=public["kind"],
                text=public["text"],
                points=public["points"],
                earned=public["points"] if correct else 0,
                correct=correct,
                explanation=value["explanation"],
                options=[
                    {
                        **option,
                        "is_correct": option["id"] in correct_answer,
                        "chosen": option["id"] in answer,
                    }
                    for option in public["options"]
                ],
                answer=answer,
                correct_answer=correct_answer,
            )
        )
    return feedback


def attempt_result(attempt: QuizAttempt) -> AttemptResult:
    """Feedback and course state after an attempt (the result page and the API share it)."""
    enrollment = Enrollment.objects.select_related("certificate").get(pk=attempt.enrollment_id)
    course_completed = enrollment.status in (Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED)
    return AttemptResult(
        attempt=attempt,
        feedback=attempt_feedback(attempt),
        lesson_completed=LessonCompletion.objects.filter(
            enrollment=enrollment, lesson_id=attempt.quiz_id
        ).exists(),
        course_completed=course_completed,
        certificate=getattr(enrollment, "certificate", None) if course_completed else None,
    )

"""Reads for a learner's attempts at a quiz: which enrollment they take it under, whether it is
open yet (a post-test waits for the required lessons), the attempt's state and deadline, the
attempts that count together towards the limit (an enrollment round), and the quiz page's intro.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from courses.models import CoursePage, LessonPage
from learners.models import Enrollment, LessonCompletion, User
from quizzes.models import QuizAttempt, QuizPage

# Enrollments that may take a course's quizzes (a completed learner may still practise).
QUIZ_ENROLLMENT_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED)


def opens_after_lessons_q() -> Q:
    """The quizzes that `QuizPage.opens_after_lessons`, as a filter (the same rule in SQL)."""
    return Q(role=QuizPage.Role.POST_TEST, requires_lessons_completed=True)


def lessons_left_before(
    *, quiz: QuizPage, enrollment: Enrollment | None, course: CoursePage | None = None
) -> list[LessonPage]:
    """The required lessons `enrollment` has still to complete before it may start `quiz`, in
    course order: empty unless the quiz opens after the lessons (a post-test, by default).

    The quizzes that open after the lessons do not wait for one another, so two post-tests can
    never lock each other. One query, whatever the number of lessons.
    """
    if enrollment is None or not quiz.opens_after_lessons:
        return []
    course = course or CoursePage.objects.ancestor_of(quiz).defer_streamfields().first()
    if course is None:
        return []
    return list(
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(required_for_completion=True)
        .exclude(pk__in=QuizPage.objects.filter(opens_after_lessons_q()).values("pk"))
        .exclude(pk__in=LessonCompletion.objects.filter(enrollment=enrollment).values("lesson_id"))
        .only("id", "title", "path", "url_path")
        .order_by("path")
    )


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


def enrollment_rounds(enrollments) -> list[list[int]]:
    """Split one person's enrollments in one course, (pk, status) in the order they were made,
    into rounds: each round ends with an enrollment that was completed (certified)."""
    rounds, current = [], []
    for pk, status in enrollments:
        current.append(pk)
        if status in (Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED):
            rounds.append(current)
            current = []
    if current:
        rounds.append(current)
    return rounds


def attempt_round(enrollment: Enrollment) -> list[int]:
    """Ids of the enrollments whose attempts count together towards an attempt limit.

    Attempt limits count per enrollment, so a recertification (a new enrollment after the
    certificate expired) gets fresh attempts. A learner who withdraws and enrolls again keeps
    their progress (`learners.services._progress_carry_over`) and, likewise, their attempts:
    a round is the enrollments from just after one completion up to and including the next.
    One query (a person has a handful of enrollments in a course).
    """
    enrollments = (
        Enrollment.objects.filter(user_id=enrollment.user_id, course_id=enrollment.course_id)
        .order_by("created_at", "pk")
        .values_list("pk", "status")
    )
    return next(
        (ids for ids in enrollment_rounds(enrollments) if enrollment.pk in ids), [enrollment.pk]
    )


def round_attempts(*, enrollment: Enrollment, quiz_id: int) -> list[QuizAttempt]:
    """The attempts of `enrollment`'s round at a quiz, by number (answers not loaded)."""
    return list(
        QuizAttempt.objects.filter(enrollment_id__in=attempt_round(enrollment), quiz_id=quiz_id)
        .defer("answers", "question_order")
        .order_by("number", "started_at")
    )


def is_closed_by_pass(quiz: QuizPage, attempts: list[QuizAttempt]) -> bool:
    """A passed post-test is done for the enrollment: retaking it could only raise the band
    printed on the certificate, with the answers it has now shown."""
    return quiz.role == QuizPage.Role.POST_TEST and any(attempt.passed for attempt in attempts)


@dataclass
class QuizIntro:
    """What the quiz page shows one visitor: the rules, their attempts, whether they may start."""

    quiz: QuizPage
    course: CoursePage | None
    enrollment: Enrollment | None
    attempts: list[QuizAttempt] = field(default_factory=list)
    in_progress: QuizAttempt | None = None
    completed: bool = False
    # Required lessons to complete before a post-test opens (`lessons_left_before`).
    lessons_left: list[LessonPage] = field(default_factory=list)

    @property
    def attempts_used(self) -> int:
        return sum(1 for attempt in self.attempts if not attempt.is_in_progress)

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.max_attempts is None:
            return None
        return max(0, self.quiz.max_attempts - self.attempts_used)

    @property
    def closed_by_pass(self) -> bool:
        return is_closed_by_pass(self.quiz, self.attempts)

    @property
    def can_start(self) -> bool:
        return self.enrollment is not None and (
            self.in_progress is not None
            or (
                not self.closed_by_pass
                and not self.lessons_left
                and (self.attempts_left is None or self.attempts_left > 0)
            )
        )

    @property
    def best_score(self) -> Decimal | None:
        scores = [attempt.score for attempt in self.attempts if attempt.score is not None]
        return max(scores) if scores else None

    @property
    def passed(self) -> bool:
        return any(attempt.passed for attempt in self.attempts)


def quiz_intro(*, user: User, quiz: QuizPage, course: CoursePage | None = None) -> QuizIntro:
    """The quiz page's state for `user` in their current enrollment round, in four queries
    whatever the number of attempts (five for a post-test not yet passed that opens after the
    lessons)."""
    enrollment = quiz_enrollment(user=user, quiz=quiz, course=course)
    if enrollment is None:
        return QuizIntro(quiz=quiz, course=course, enrollment=None)
    attempts = round_attempts(enrollment=enrollment, quiz_id=quiz.pk)
    in_progress = next(
        (a for a in attempts if a.is_in_progress and not attempt_is_overdue(a)), None
    )
    completed = LessonCompletion.objects.filter(enrollment=enrollment, lesson=quiz).exists()
    closed = completed or is_closed_by_pass(quiz, attempts)
    return QuizIntro(
        quiz=quiz,
        course=course,
        enrollment=enrollment,
        attempts=attempts,
        in_progress=in_progress,
        completed=completed,
        lessons_left=(
            [] if closed else lessons_left_before(quiz=quiz, enrollment=enrollment, course=course)
        ),
    )


def my_attempts(*, user: User, quiz_id: int | None = None):
    """A learner's attempts, newest first, with their quiz's title and role (answers, questions
    and quiz bodies not loaded)."""
    attempts = (
        QuizAttempt.objects.filter(user=user)
        .select_related("quiz")
        .only(
            *(
                f.name
                for f in QuizAttempt._meta.concrete_fields
                if f.name not in ("answers", "question_order")
            ),
            "quiz__title",
            "quiz__role",
            "quiz__max_attempts",
            "quiz__feedback_policy",
        )
        .order_by("-started_at")
    )
    if quiz_id is not None:
        attempts = attempts.filter(quiz_id=quiz_id)
    return attempts

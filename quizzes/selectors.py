"""Reads for quizzes: what a learner sees before an attempt, during it, and after submitting.

Everything shown before submission goes through `attempt_questions`, which builds questions from
the blocks' `public()` representation: text, option texts and points, never correctness,
explanations or accepted answers. Feedback (`attempt_result`) exists only for submitted attempts,
and only once the quiz's feedback policy allows it (`feedback_shown`); even then a quiz other
than the post-test withholds the answers to questions the course's post-test also asks
(`post_test_question_keys`).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from courses.models import CoursePage, LessonPage
from learners.models import Certificate, Enrollment, LessonCompletion, User
from quizzes.blocks import normalize_answer
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


def _rounds(enrollments) -> list[list[int]]:
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
    return next((ids for ids in _rounds(enrollments) if enrollment.pk in ids), [enrollment.pk])


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


def feedback_shown(quiz: QuizPage, attempts: list[QuizAttempt]) -> bool:
    """Whether the quiz's feedback policy lets the learner see correct answers and explanations
    of their submitted attempts, given every attempt of their round (`round_attempts`)."""
    policy = quiz.feedback_policy
    if policy == QuizPage.FeedbackPolicy.ALWAYS:
        # Practice quizzes only (QuizPage.clean); a graded quiz saved otherwise falls through.
        if quiz.role == QuizPage.Role.PRACTICE:
            return True
        policy = QuizPage.FeedbackPolicy.AFTER_FINAL_ATTEMPT
    if policy != QuizPage.FeedbackPolicy.AFTER_FINAL_ATTEMPT:
        return False
    if quiz.role != QuizPage.Role.PRE_TEST and any(attempt.passed for attempt in attempts):
        return True
    # An attempt left open past its deadline is used up, as the start service will record.
    open_attempts = sum(
        1 for attempt in attempts if attempt_status(attempt) == QuizAttempt.Status.IN_PROGRESS
    )
    used = len(attempts) - open_attempts
    return quiz.max_attempts is not None and used >= quiz.max_attempts and not open_attempts


def question_key(text: str) -> str:
    """What makes two questions "the same question": their text, compared as short answers are
    (case, spacing and punctuation at the ends ignored).

    Questions live in each quiz's own StreamField, so a question copied from the pre-test into
    the post-test gets a new block id: the text is the only identity they share. A question
    reworded between the two tests counts as a different question.
    """
    return normalize_answer(text)


def post_test_question_keys(quiz: QuizPage) -> set[str]:
    """The `question_key`s of every question in the post-tests of `quiz`'s course (published
    or not); empty for a post-test itself, whose answers are its own to show."""
    if quiz.role == QuizPage.Role.POST_TEST:
        return set()
    course = CoursePage.objects.ancestor_of(quiz).defer_streamfields().first()
    if course is None:
        return set()
    return {
        question_key(child.value["text"])
        for post_test in QuizPage.objects.descendant_of(course).filter(role=QuizPage.Role.POST_TEST)
        for child in post_test.questions
    }


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


@dataclass
class QuestionFeedback:
    """One question after submission: the learner's answer, the right one, the explanation.

    A question the post-test also asks is not `revealed`: its correctness, earned points,
    explanation and correct answer are None or empty, so even "incorrect" on a true/false
    question cannot give its answer away.
    """

    id: str
    kind: str
    text: str
    points: int
    earned: int | None
    correct: bool | None
    explanation: str
    # Choice kinds: [{"id", "text", "is_correct", "chosen"}]; empty for short answers.
    options: list[dict]
    # Choice kinds: option ids; short answer: the text given.
    answer: list[str] | str
    # Choice kinds: the correct option ids; short answer: every accepted answer.
    correct_answer: list[str]
    revealed: bool = True


@dataclass
class AttemptResult:
    """A finished attempt with its feedback, and what it changed in the course.

    `feedback` is empty unless `feedback_shown` (the quiz's feedback policy allows it).
    """

    attempt: QuizAttempt
    feedback: list[QuestionFeedback]
    feedback_shown: bool
    lesson_completed: bool
    course_completed: bool
    certificate: Certificate | None


def attempt_feedback(
    attempt: QuizAttempt, *, quiz: QuizPage | None = None
) -> list[QuestionFeedback]:
    """Per-question feedback of a submitted attempt (empty for any other attempt).

    Callers check the feedback policy first (`feedback_shown`); this withholds only what the
    course's post-test also asks.
    """
    if attempt.status != QuizAttempt.Status.SUBMITTED:
        return []
    quiz = quiz or attempt.quiz
    current = quiz.questions_by_id()
    withheld = post_test_question_keys(quiz)
    feedback = []
    for public in attempt_questions(attempt, quiz=quiz):
        child = current[public["id"]]
        block, value = child.block, child.value
        raw = attempt.answers.get(public["id"])
        answer = block.answer_cleaned(value, raw)
        if question_key(value["text"]) in withheld:
            feedback.append(
                QuestionFeedback(
                    id=public["id"],
                    kind=public["kind"],
                    text=public["text"],
                    points=public["points"],
                    earned=None,
                    correct=None,
                    explanation="",
                    options=[
                        {**option, "is_correct": None, "chosen": option["id"] in answer}
                        for option in public["options"]
                    ],
                    answer=answer,
                    correct_answer=[],
                    revealed=False,
                )
            )
            continue
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
    quiz = attempt.quiz
    shown = attempt.status == QuizAttempt.Status.SUBMITTED and feedback_shown(
        quiz, round_attempts(enrollment=enrollment, quiz_id=quiz.pk)
    )
    return AttemptResult(
        attempt=attempt,
        feedback=attempt_feedback(attempt, quiz=quiz) if shown else [],
        feedback_shown=shown,
        lesson_completed=LessonCompletion.objects.filter(
            enrollment=enrollment, lesson_id=attempt.quiz_id
        ).exists(),
        course_completed=course_completed,
        certificate=getattr(enrollment, "certificate", None) if course_completed else None,
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


def feedback_shown_by_attempt(*, user: User, attempts: list[QuizAttempt]) -> dict[int, bool]:
    """{attempt id: whether its answers may be seen} for attempts of `user` that include every
    attempt of their quizzes (as `my_attempts` returns them); one query for the enrollments."""
    enrollments = Enrollment.objects.filter(user=user).order_by("created_at", "pk")
    by_course: dict[int, list[tuple[int, str]]] = {}
    for pk, course_id, status in enrollments.values_list("pk", "course_id", "status"):
        by_course.setdefault(course_id, []).append((pk, status))
    round_of = {
        pk: index
        for course_enrollments in by_course.values()
        for index, ids in enumerate(_rounds(course_enrollments))
        for pk in ids
    }
    groups: dict[tuple[int, int], list[QuizAttempt]] = {}
    for attempt in attempts:
        groups.setdefault((attempt.quiz_id, round_of.get(attempt.enrollment_id)), []).append(
            attempt
        )
    shown = {}
    for group in groups.values():
        visible = feedback_shown(group[0].quiz, group)
        for attempt in group:
            shown[attempt.pk] = visible and attempt.status == QuizAttempt.Status.SUBMITTED
    return shown

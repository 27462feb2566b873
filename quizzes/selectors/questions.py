"""Reads for what a learner sees of a quiz's questions: during an attempt, and after submitting.

Everything shown before submission goes through `attempt_questions`, which builds questions from
the blocks' `public()` representation, in the order the attempt drew them: text, option texts and
points, never correctness, explanations or accepted answers. Feedback (`attempt_result`) exists
only for submitted attempts, and only once the quiz's feedback policy allows it
(`feedback_shown`); even then a quiz other than the post-test withholds the answers to questions
the course's post-test also asks (`post_test_question_keys`).
"""

from dataclasses import dataclass

from courses.models import CoursePage
from learners.models import Certificate, Enrollment, LessonCompletion, User
from quizzes.blocks import normalize_answer
from quizzes.models import QuizAttempt, QuizPage
from quizzes.selectors.attempts import attempt_status, enrollment_rounds, round_attempts


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
    return ordered_questions(quiz or attempt.quiz, attempt.question_order)


def ordered_questions(quiz: QuizPage, order: list[dict]) -> list[dict]:
    """The questions of a draw (`question_order`: [{"id", "options"}]) as a learner may see
    them: an attempt's, or an offline quiz paper's before any attempt exists."""
    current = quiz.questions_by_id()
    questions = []
    for entry in order:
        child = current.get(entry.get("id"))
        if child is None:
            continue
        question = child.block.public(child.value, option_order=entry.get("options"))
        questions.append({**question, "id": child.id, "kind": child.block_type})
    return questions


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
        for index, ids in enumerate(enrollment_rounds(course_enrollments))
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

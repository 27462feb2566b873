"""Reads for quizzes, one module per idea: a learner's attempts (`attempts`: the enrollment they
take a quiz under, when it opens, an attempt's state, deadline and limits, the quiz page's intro)
and what they see of the questions (`questions`: the attempt's questions in the order it drew
them, and the feedback after submitting, as the quiz's feedback policy allows).

Re-exported here so callers write `from quizzes import selectors`, as with
`evaluation.selectors`; the modules stay under ~400 lines each.
"""

from quizzes.selectors.attempts import (
    QUIZ_ENROLLMENT_STATUSES,
    QuizIntro,
    attempt_is_overdue,
    attempt_round,
    attempt_status,
    enrollment_rounds,
    grace_period,
    is_closed_by_pass,
    lessons_left_before,
    my_attempts,
    opens_after_lessons_q,
    quiz_enrollment,
    quiz_intro,
    round_attempts,
)
from quizzes.selectors.questions import (
    AttemptResult,
    QuestionFeedback,
    attempt_feedback,
    attempt_questions,
    attempt_result,
    feedback_shown,
    feedback_shown_by_attempt,
    ordered_questions,
    post_test_question_keys,
    question_key,
)

__all__ = [
    "QUIZ_ENROLLMENT_STATUSES",
    "AttemptResult",
    "QuestionFeedback",
    "QuizIntro",
    "attempt_feedback",
    "attempt_is_overdue",
    "attempt_questions",
    "attempt_result",
    "attempt_round",
    "attempt_status",
    "enrollment_rounds",
    "feedback_shown",
    "feedback_shown_by_attempt",
    "grace_period",
    "is_closed_by_pass",
    "lessons_left_before",
    "my_attempts",
    "opens_after_lessons_q",
    "ordered_questions",
    "post_test_question_keys",
    "question_key",
    "quiz_enrollment",
    "quiz_intro",
    "round_attempts",
]

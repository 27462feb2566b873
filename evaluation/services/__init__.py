"""The evaluation loop's writes, one module per idea: a course's results (the L1 reaction survey
and the L3 supervisor follow-up), learning needs and their endorsement, public feedback; the
refusals they share are in `errors`.

Views, the daily command and the demo all go through these functions. Writes are keyword-only,
typed and atomic; refusals raise `learners.errors.LearningError` subclasses whose message is
for people and whose `code` is stable.

Re-exported here so callers write `from evaluation import services`, as with
`evaluation.selectors`; the modules stay under ~400 lines each.
"""

from evaluation.services.errors import EvaluationConflict, EvaluationRefused
from evaluation.services.feedback import (
    FEEDBACK_LIMIT,
    FEEDBACK_WINDOW_SECONDS,
    feedback_aspects_for,
    feedback_client_hash,
    public_feedback_allowed,
    public_feedback_count_attempt,
    public_feedback_create,
)
from evaluation.services.needs import (
    learning_need_create,
    learning_need_decide,
    learning_need_delete,
    learning_need_submit,
    learning_need_update,
)
from evaluation.services.results import (
    COMPLETED_STATUSES,
    FOLLOWUP_CATCH_UP_DAYS,
    FollowUpLinkError,
    FollowUpRun,
    behaviour_followup_answer,
    behaviour_followup_for_token,
    behaviour_followups_schedule,
    course_evaluation_submit,
)

__all__ = [
    "COMPLETED_STATUSES",
    "FEEDBACK_LIMIT",
    "FEEDBACK_WINDOW_SECONDS",
    "FOLLOWUP_CATCH_UP_DAYS",
    "EvaluationConflict",
    "EvaluationRefused",
    "FollowUpLinkError",
    "FollowUpRun",
    "behaviour_followup_answer",
    "behaviour_followup_for_token",
    "behaviour_followups_schedule",
    "course_evaluation_submit",
    "feedback_aspects_for",
    "feedback_client_hash",
    "learning_need_create",
    "learning_need_decide",
    "learning_need_delete",
    "learning_need_submit",
    "learning_need_update",
    "public_feedback_allowed",
    "public_feedback_count_attempt",
    "public_feedback_create",
]

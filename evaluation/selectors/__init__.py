"""Reads for the evaluation loop, one module per report: a course's results (L1-L3), the
programme report, and learning needs with the needs report.

Re-exported here so callers write `from evaluation import selectors`; the modules stay under
~400 lines each.
"""

from evaluation.selectors.needs import (
    PUBLIC_SIGNAL_DAYS,
    NeedsReport,
    NeedsRow,
    OrganizationDemand,
    UnitSignal,
    needs_decided_by,
    needs_of,
    needs_report,
    needs_to_decide,
    service_units_by_organization,
)
from evaluation.selectors.programme import ProgrammeRow, programme_evaluation
from evaluation.selectors.results import (
    COMPLETED_STATUSES,
    FACILITATED_MODES,
    STARTED_STATUSES,
    BehaviourSummary,
    CompetencyRating,
    LearnerGain,
    LearningGain,
    ReactionSummary,
    ScoreSummary,
    course_behaviour_summary,
    course_has_tests,
    course_reaction_comments,
    course_reaction_summary,
    enrollment_is_facilitated,
    learning_gains,
    score_labels,
    surveys_of,
)

__all__ = [
    "COMPLETED_STATUSES",
    "FACILITATED_MODES",
    "PUBLIC_SIGNAL_DAYS",
    "STARTED_STATUSES",
    "BehaviourSummary",
    "CompetencyRating",
    "LearnerGain",
    "LearningGain",
    "NeedsReport",
    "NeedsRow",
    "OrganizationDemand",
    "ProgrammeRow",
    "ReactionSummary",
    "ScoreSummary",
    "UnitSignal",
    "course_behaviour_summary",
    "course_has_tests",
    "course_reaction_comments",
    "course_reaction_summary",
    "enrollment_is_facilitated",
    "learning_gains",
    "needs_decided_by",
    "needs_of",
    "needs_report",
    "needs_to_decide",
    "programme_evaluation",
    "score_labels",
    "service_units_by_organization",
    "surveys_of",
]

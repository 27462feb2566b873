"""Cohort endpoints of the learner API (/api/v1/): a router `lentera.learner_api` adds.

A cohort id the caller does not train answers 404, as an unknown one does.
"""

from datetime import datetime

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from cohorts import selectors
from cohorts.permissions import cohorts_trained_by
from cohorts.services import cohort_view_record
from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from learners.nip import nip_mask

router = Router(tags=["cohorts"])

MAX_PAGE_SIZE = 200


class QuizScoreOut(Schema):
    quiz_id: int = Field(description="The scored lesson: a quiz, or a package lesson")
    quiz_title: str
    kind: str = Field(description="quiz or package")
    best_score: float | None = Field(
        description="Percent: a quiz's best submitted attempt, a package lesson's score"
    )


class LearnerProgressOut(Schema):
    user_id: int
    name: str
    nip_masked: str = Field(description="The NIP with its middle hidden")
    work_unit: str | None
    progress_percent: int
    last_activity: datetime | None
    status: str = Field(description="not_started, on_track, at_risk or completed")
    quiz_scores: list[QuizScoreOut]


class CohortProgressOut(Schema):
    cohort_id: int
    cohort_name: str
    course_id: int
    elapsed_percent: int
    at_risk_threshold: int
    count: int
    page: int
    page_size: int
    pages: int
    results: list[LearnerProgressOut]


class ProgressFilters(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)
    status: str = Field("", description="not_started, on_track, at_risk or completed")
    sort: str = Field("name", description="name, unit, progress, activity or status; - reverses")


@router.get(
    "/cohorts/{cohort_id}/progress",
    response={200: CohortProgressOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="Progress of a cohort's learners (the cohort's trainers only)",
)
def cohort_progress(request, cohort_id: int, filters: Query[ProgressFilters]):
    cohort = get_object_or_404(
        cohorts_trained_by(request.user).select_related("course"), pk=cohort_id
    )
    rule = selectors.risk_rule(cohort)
    base = selectors.cohort_enrollments(cohort, rule=rule)
    rows = selectors.filtered_enrollments(
        base.select_related("user", "user__work_unit"),
        selectors.TableFilters(state=filters.status, sort=filters.sort),
    )
    paginator = Paginator(rows, filters.page_size)
    page = paginator.get_page(filters.page)
    quizzes = [lesson for lesson in selectors.course_lessons(cohort) if lesson.scored]
    scores = selectors.lesson_scores([enrollment.pk for enrollment in page])
    cohort_view_record(
        cohort=cohort, viewer=request.user, via="api", page=page.number, status=filters.status
    )
    return {
        "cohort_id": cohort.pk,
        "cohort_name": cohort.name,
        "course_id": cohort.course_id,
        "elapsed_percent": rule.elapsed,
        "at_risk_threshold": rule.threshold,
        "count": paginator.count,
        "page": page.number,
        "page_size": filters.page_size,
        "pages": paginator.num_pages,
        "results": [
            {
                "user_id": enrollment.user_id,
                "name": enrollment.user.full_name,
                "nip_masked": nip_mask(enrollment.user.nip or ""),
                "work_unit": enrollment.user.work_unit.name if enrollment.user.work_unit else None,
                "progress_percent": enrollment.percent,
                "last_activity": enrollment.last_activity,
                "status": enrollment.state,
                "quiz_scores": [
                    {
                        "quiz_id": quiz.id,
                        "quiz_title": quiz.title,
                        "kind": "quiz" if quiz.is_quiz else "package",
                        "best_score": scores.get(enrollment.pk, {}).get(quiz.id),
                    }
                    for quiz in quizzes
                ],
            }
            for enrollment in page
        ],
    }

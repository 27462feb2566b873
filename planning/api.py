"""The competency profile and the development plan in the learner API (/api/v1/me/profile and
/api/v1/me/plan): the signed-in person's own, read from the selectors the pages use, a router
`lentera.learner_api` adds."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from planning import selectors
from planning.models import DevelopmentPlan

router = Router(tags=["planning"])


class ProfileEvidenceOut(Schema):
    source: str = Field(
        description='"self_assessment" (an endorsed learning need), "supervisor_rating" (an '
        'answered level 3 follow-up) or "post_test" (a completed course whose post-test was '
        "passed)"
    )
    level: int = Field(description="1-5 (0 for a self-assessment below level 1)")
    observed_at: datetime = Field(description="When it was endorsed, answered or completed")
    course_title: str = Field(description="The course it is about; empty for a self-assessment")


class ProfileCourseOut(Schema):
    id: int
    title: str
    level: int = Field(description="The level the course develops the competency to")


class ProfileCompetencyOut(Schema):
    code: str
    name: str
    kind: str
    required_level: int | None = Field(
        description="The level the position requires; null for a competency it does not require"
    )
    current_level: int | None = Field(
        description="The level of the most recent evidence; null without evidence"
    )
    current_source: str | None = Field(description="The source of the current level")
    gap: int | None = Field(
        description="Required minus current level, at least 0; null without evidence or requirement"
    )
    evidence: list[ProfileEvidenceOut] = Field(
        description="Each source's latest evidence, newest first"
    )
    recommended_courses: list[ProfileCourseOut] = Field(
        description="Live courses that develop a gap competency to at least the required level"
    )


class ProfilePathOut(Schema):
    id: int
    title: str


class ProfileOut(Schema):
    position: str = Field(description="The person's position; empty when none is chosen")
    required: list[ProfileCompetencyOut]
    other: list[ProfileCompetencyOut] = Field(
        description="Competencies with evidence that the position does not require"
    )
    recommended_paths: list[ProfilePathOut] = Field(
        description="Learning paths toward the position or the gap competencies"
    )


def _row(row: selectors.ProfileRow) -> dict:
    current = row.current
    return {
        "code": row.competency.code,
        "name": row.competency.name,
        "kind": row.competency.kind,
        "required_level": row.required,
        "current_level": current.level if current else None,
        "current_source": current.source if current else None,
        "gap": row.gap,
        "evidence": [
            {
                "source": item.source,
                "level": item.level,
                "observed_at": item.at,
                "course_title": item.course_title,
            }
            for item in row.sources()
        ],
        "recommended_courses": [
            {"id": r.course.pk, "title": r.course.title, "level": r.level}
            for r in row.recommendations
        ],
    }


@router.get(
    "/me/profile",
    response={200: ProfileOut, **NOT_SIGNED_IN},
    summary="My competency profile: required and current levels, their sources and the gaps",
    description="For each competency the person's position requires: the required level, the "
    "current level from the most recent evidence (a verified self-assessment, a supervisor's "
    "rating after a course, or a passed post-test), and the gap.",
)
def my_profile(request):
    profile = selectors.competency_profile(request.user)
    return {
        "position": profile.position_name,
        "required": [_row(row) for row in profile.required],
        "other": [_row(row) for row in profile.other],
        "recommended_paths": [{"id": p.pk, "title": p.title} for p in profile.paths],
    }


class PlanActivityOut(Schema):
    kind: str = Field(description='"course" or "record" (a verified development record)')
    id: int
    title: str
    on: date
    jp: Decimal


class PlanItemOut(Schema):
    id: int
    title: str
    course_id: int | None = Field(description="The Lentera course planned, or null")
    form: str | None = Field(description="The code of the form of development, or null")
    competency: str | None = Field(description="The code of the competency it develops")
    learning_need_id: int | None
    target_date: date
    planned_jp: Decimal
    realised: bool
    realised_jp: Decimal
    realised_by: list[PlanActivityOut]


class PlanOut(Schema):
    year: int
    status: str = Field(description="draft, submitted, agreed or returned")
    supervisor_note: str
    agreed_at: datetime | None
    planned_jp: Decimal
    realised_jp: Decimal = Field(
        description="JP of the activities that realised planned ones, each counted once"
    )
    items_realised: int
    year_over: bool
    items: list[PlanItemOut]


@router.get(
    "/me/plan",
    response={200: PlanOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="My development plan for a year, against its realisation",
    description="Each planned activity with the completed course or verified development "
    "record of the plan's year that realised it. 404 when there is no plan for the year.",
)
def my_plan(request, year: int | None = None):
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= 2100:
        return Status(422, {"code": "invalid", "detail": _("Enter a year between 2000 and 2100.")})
    plan = DevelopmentPlan.objects.filter(user=request.user, year=year).first()
    if plan is None:
        return Status(404, {"code": "not_found", "detail": _("You have no plan for this year.")})
    realisation = selectors.plan_realisation(plan, today=today)
    return {
        "year": plan.year,
        "status": plan.status,
        "supervisor_note": plan.supervisor_note,
        "agreed_at": plan.agreed_at,
        "planned_jp": realisation.planned_jp,
        "realised_jp": realisation.realised_jp,
        "items_realised": realisation.items_realised,
        "year_over": realisation.year_over,
        "items": [
            {
                "id": row.item.pk,
                "title": row.item.title,
                "course_id": row.item.course_id,
                "form": row.item.form.code if row.item.form else None,
                "competency": row.item.competency.code if row.item.competency else None,
                "learning_need_id": row.item.need_id,
                "target_date": row.item.target_date,
                "planned_jp": row.item.planned_jp,
                "realised": row.realised,
                "realised_jp": row.realised_jp,
                "realised_by": [
                    {"kind": a.kind, "id": a.pk, "title": a.title, "on": a.on, "jp": a.jp}
                    for a in row.activities
                ],
            }
            for row in realisation.items
        ],
    }

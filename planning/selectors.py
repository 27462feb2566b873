"""Reads of competency profiles and development plans, each in a fixed number of queries whatever
the number of competencies, evidence, activities or people.

The competency profile is the one home of the rule behind every "current level" Lentera shows
(the profile page, the supervisor's and HR's view of it, `/api/v1/me/profile`). For each
competency, three sources can say where a person stands:

- **self-assessment**: the current level of a learning need the supervisor or HR endorsed
  (`evaluation.LearningNeed`, PP 17/2020 art. 203(5): needs are verified by the supervisor),
  dated when it was endorsed;
- **supervisor rating**: the supervisor's rating (1-5) of the competency in their answer to a
  Kirkpatrick level 3 follow-up of a course (`evaluation.BehaviourFollowUp.ratings`), rounded
  half up, dated when they answered;
- **post-test**: a completed course, whose post-test was passed (`Enrollment.final_score`) and
  whose certificate was not revoked, that develops the competency: the course's target level
  for it (`courses.CourseCompetency`), dated at completion.

The current level is the most recent of the latest evidence of each source, because
competency moves: a newer observation replaces an older one whichever it comes from. Two
pieces of evidence of the same moment are ranked supervisor rating, then post-test, then
self-assessment (what another person observed at work before what a test measured, before what
the person said). The gap is the required level minus the current level, never below 0; with
no evidence the gap is unknown ("no evidence yet").
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from content.models import Competency, competencies_localized, with_competency_names
from courses.models import CourseCompetency, CoursePage
from development.models import DevelopmentRecord
from evaluation.models import BehaviourFollowUp, LearningNeed
from learners.models import Enrollment, PositionCompetency, User
from learners.selectors import jp_counting_enrollments, platform_date, year_bounds
from learners.supervisors import confirmed_supervisor_q
from paths.models import LearningPathPage
from paths.selectors import paths_for_gaps
from planning.models import DevelopmentPlan, PlanItem


class Source:
    """Where a level comes from; the order is the tie-break of evidence of the same moment."""

    SELF_ASSESSMENT = "self_assessment"
    POST_TEST = "post_test"
    SUPERVISOR = "supervisor_rating"

    LABELS = {
        SELF_ASSESSMENT: _("Verified self-assessment"),
        POST_TEST: _("Post-test"),
        SUPERVISOR: _("Supervisor's rating"),
    }
    RANK = {SELF_ASSESSMENT: 0, POST_TEST: 1, SUPERVISOR: 2}


@dataclass(frozen=True)
class Evidence:
    """One observation of a person's level in a competency."""

    source: str
    level: int
    at: datetime
    # The course a post-test or a follow-up was about; empty for a self-assessment.
    course_title: str = ""

    @property
    def on(self) -> date:
        return platform_date(self.at)

    @property
    def source_label(self) -> str:
        return str(Source.LABELS[self.source])

    def newer_than(self, other: "Evidence | None") -> bool:
        if other is None:
            return True
        return (self.at, Source.RANK[self.source]) > (other.at, Source.RANK[other.source])


@dataclass
class ProfileRow:
    """A competency in the profile: the level required (None when the position does not require
    it), the latest evidence of each source, and the current level they give."""

    competency: Competency
    required: int | None
    evidence: dict[str, Evidence] = field(default_factory=dict)
    # Courses for a gap (`recommended_courses`).
    recommendations: list["Recommendation"] = field(default_factory=list)

    @property
    def current(self) -> Evidence | None:
        """The most recent evidence (see the module's docstring)."""
        latest = None
        for item in self.evidence.values():
            if item.newer_than(latest):
                latest = item
        return latest

    @property
    def current_level(self) -> int | None:
        current = self.current
        return current.level if current else None

    @property
    def gap(self) -> int | None:
        """Levels still to grow: required minus current, at least 0; None without evidence."""
        if self.required is None or self.current is None:
            return None
        return max(0, self.required - self.current.level)

    @property
    def has_gap(self) -> bool:
        """Whether the competency needs development: a gap, or no evidence of it yet."""
        return self.required is not None and (self.gap is None or self.gap > 0)

    def sources(self) -> list[Evidence]:
        """Each source's latest evidence, newest first."""
        return sorted(
            self.evidence.values(),
            key=lambda item: (item.at, Source.RANK[item.source]),
            reverse=True,
        )


@dataclass(frozen=True)
class Recommendation:
    """A live course of the catalog that develops a gap competency to at least the level
    required."""

    competency_id: int
    course: CoursePage
    level: int


@dataclass
class CompetencyProfile:
    """A person's competency profile against their position's standard."""

    person: User
    position_name: str
    required: list[ProfileRow]
    # Competencies with evidence that the position does not require.
    other: list[ProfileRow]
    recommendations: dict[int, list[Recommendation]]
    # Learning paths toward the position or the gap competencies (`paths.selectors`).
    paths: list[LearningPathPage] = field(default_factory=list)

    @property
    def gaps(self) -> list[ProfileRow]:
        return [row for row in self.required if row.has_gap]

    @property
    def met(self) -> int:
        return sum(1 for row in self.required if row.gap == 0)


def _rounded(value) -> int | None:
    try:
        level = int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return level if 1 <= level <= 5 else None


def _keep(evidence: dict[int, dict[str, Evidence]], competency_id: int, item: Evidence) -> None:
    current = evidence[competency_id].get(item.source)
    if current is None or (item.at, item.level) > (current.at, current.level):
        evidence[competency_id][item.source] = item


def evidence_of(person: User) -> dict[int, dict[str, Evidence]]:
    """The latest evidence of each source for each competency of `person`, by competency id:
    three queries, however many needs, follow-ups and courses."""
    evidence: dict[int, dict[str, Evidence]] = defaultdict(dict)
    needs = LearningNeed.objects.filter(
        user=person, status=LearningNeed.Status.ENDORSED, endorsed_at__isnull=False
    ).values_list("competency_id", "current_level", "endorsed_at")
    for competency_id, level, endorsed_at in needs:
        _keep(evidence, competency_id, Evidence(Source.SELF_ASSESSMENT, level, endorsed_at))

    followups = BehaviourFollowUp.objects.filter(
        enrollment__user=person, answered_at__isnull=False
    ).values_list("ratings", "answered_at", "enrollment__course__title")
    for ratings, answered_at, course_title in followups:
        for key, value in (ratings or {}).items():
            level = _rounded(value)
            if level is not None and str(key).isdigit():
                _keep(
                    evidence,
                    int(key),
                    Evidence(Source.SUPERVISOR, level, answered_at, course_title),
                )

    post_tests = (
        jp_counting_enrollments()
        .filter(user=person, final_score__isnull=False)
        .values_list(
            "course__course_competencies__competency_id",
            "course__course_competencies__target_level",
            "completed_at",
            "course__title",
        )
    )
    for competency_id, level, completed_at, course_title in post_tests:
        if competency_id is None:  # a course that develops no competency
            continue
        _keep(
            evidence, competency_id, Evidence(Source.POST_TEST, level, completed_at, course_title)
        )
    return evidence


def recommended_courses(person: User, rows: list[ProfileRow]) -> dict[int, list[Recommendation]]:
    """Up to three live courses per gap competency that develop it to at least the level
    required, leaving out those `person` already completed; one query (none without gaps)."""
    wanted = Q()
    for row in rows:
        if row.has_gap:
            wanted |= Q(competency_id=row.competency.pk, target_level__gte=row.required)
    if not wanted:
        return {}
    completed = Enrollment.objects.filter(
        user=person, course_id=OuterRef("page_id"), completed_at__isnull=False
    )
    order = [F("target_level").asc(), F("page__title").asc(), F("page_id").asc()]
    # Three per competency chosen in the database: a common competency is developed by hundreds
    # of courses at size L, each of which became a page instance only to be dropped here.
    links = (
        # Superseded courses (their regulation was replaced) are not recommended.
        CourseCompetency.objects.filter(wanted, page__live=True, page__superseded=False)
        .exclude(Exists(completed))
        .annotate(rank=Window(RowNumber(), partition_by=[F("competency_id")], order_by=order))
        .filter(rank__lte=3)
        .select_related("page")
        .order_by("competency_id", *order)
    )
    recommendations: dict[int, list[Recommendation]] = defaultdict(list)
    for link in links:
        if len(recommendations[link.competency_id]) < 3:
            recommendations[link.competency_id].append(
                Recommendation(link.competency_id, link.page, link.target_level)
            )
    return dict(recommendations)


def competency_profile(person: User) -> CompetencyProfile:
    """`person`'s competency profile: each competency their position requires with its required
    level, its evidence, current level and gap; the competencies with evidence the position
    does not require; and courses and learning paths for the gaps. At most seven queries, whatever
    the numbers."""
    # Competencies under their names in the reader's language, read in the same queries.
    standard = list(
        with_competency_names(
            PositionCompetency.objects.filter(position_id=person.position_id)
            .select_related("competency", "position")
            .order_by("competency__kind", "competency__code")
        )
        if person.position_id
        else []
    )
    evidence = evidence_of(person)
    required = [
        ProfileRow(target.competency, target.target_level, evidence.get(target.competency_id, {}))
        for target in standard
    ]
    required_ids = {target.competency_id for target in standard}
    other_ids = set(evidence) - required_ids
    other = [
        ProfileRow(competency, None, evidence[competency.pk])
        for competency in (
            competencies_localized(Competency.objects.filter(pk__in=other_ids)).order_by(
                "kind", "code"
            )
            if other_ids
            else []
        )
    ]
    recommendations = recommended_courses(person, required)
    for row in required:
        row.recommendations = recommendations.get(row.competency.pk, [])
    gaps = {row.competency.pk: row.required for row in required if row.has_gap}
    return CompetencyProfile(
        person=person,
        position_name=standard[0].position.name if standard else "",
        required=required,
        other=other,
        recommendations=recommendations,
        paths=paths_for_gaps(competency_levels=gaps, position_id=person.position_id)
        if gaps
        else [],
    )


# Development plans


@dataclass(frozen=True)
class Realising:
    """An activity that realised a planned one: a completed course or a verified record."""

    kind: str  # "course" or "record"
    pk: int
    title: str
    on: date
    jp: Decimal


@dataclass
class ItemRealisation:
    item: PlanItem
    activities: list[Realising]

    @property
    def realised(self) -> bool:
        return bool(self.activities)

    @property
    def realised_jp(self) -> Decimal:
        return sum((activity.jp for activity in self.activities), Decimal(0))


@dataclass
class PlanRealisation:
    """A plan against what was done in its year, at any time of the year and at its end."""

    plan: DevelopmentPlan
    items: list[ItemRealisation]
    year_over: bool

    @property
    def planned_jp(self) -> Decimal:
        return sum((row.item.planned_jp for row in self.items), Decimal(0))

    @property
    def realised_jp(self) -> Decimal:
        """JP of the activities that realised a planned activity (each realises one only)."""
        return sum((row.realised_jp for row in self.items), Decimal(0))

    @property
    def items_realised(self) -> int:
        return sum(1 for row in self.items if row.realised)

    @property
    def percent_items(self) -> int:
        return round(100 * self.items_realised / len(self.items)) if self.items else 0


def plan_items(plan: DevelopmentPlan) -> QuerySet[PlanItem]:
    """A plan's activities by date, their competencies under their names in the reader's
    language (`with_competency_names`)."""
    return with_competency_names(
        plan.items.select_related("course", "form", "competency", "need__competency").order_by(
            "target_date", "pk"
        ),
        "competency",
        "need__competency",
    )


def plan_realisation(plan: DevelopmentPlan, *, today: date) -> PlanRealisation:
    """Each planned activity with what realised it in the plan's year: a completion of its
    course whose JP count (`jp_counting_enrollments`) in the year, or a verified development
    record of its form (and of its competency, when the plan names one) ending in the year.
    Each activity realises one planned activity (see below). Three queries, whatever the number
    of activities."""
    items = list(plan_items(plan))
    start, end = year_bounds(plan.year)
    course_ids = {item.course_id for item in items if item.course_id}
    form_ids = {item.form_id for item in items if item.form_id}
    by_course: dict[int, list[Realising]] = defaultdict(list)
    for pk, course_id, title, completed_at, jp in (
        jp_counting_enrollments()
        .filter(
            user_id=plan.user_id,
            course_id__in=course_ids,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .values_list("pk", "course_id", "course__title", "completed_at", "jp_credited")
        .order_by("completed_at", "pk")
    ):
        by_course[course_id].append(
            Realising("course", pk, title, platform_date(completed_at), jp or Decimal(0))
        )
    records: dict[int, Realising] = {}
    record_form: dict[int, int] = {}
    record_competencies: dict[int, set[int]] = defaultdict(set)
    for pk, form_id, title, end_date, jp, competency_id in (
        DevelopmentRecord.objects.filter(
            owner_id=plan.user_id,
            status=DevelopmentRecord.Status.VERIFIED,
            form_id__in=form_ids,
            end_date__year=plan.year,
        )
        .values_list("pk", "form_id", "title", "end_date", "jp_credited", "competencies__id")
        .order_by("end_date", "pk")
    ):
        records[pk] = Realising("record", pk, title, end_date, jp)
        record_form[pk] = form_id
        if competency_id is not None:
            record_competencies[pk].add(competency_id)

    def candidates(item: PlanItem) -> list[Realising]:
        if item.course_id:
            return by_course.get(item.course_id, [])
        return [
            record
            for pk, record in records.items()
            if record_form[pk] == item.form_id
            and (item.competency_id is None or item.competency_id in record_competencies[pk])
        ]

    # Each activity realises one planned activity only: two seminars planned and one attended
    # is one of two. Planned activities naming a competency choose first (a record of that
    # competency may serve them only), then by target date; each takes the earliest activities
    # not yet taken until its planned JP is reached.
    taken: set[tuple[str, int]] = set()
    activities_of: dict[int, list[Realising]] = {}
    for item in sorted(items, key=lambda item: item.competency_id is None):
        chosen: list[Realising] = []
        for activity in candidates(item):
            if (activity.kind, activity.pk) in taken:
                continue
            chosen.append(activity)
            taken.add((activity.kind, activity.pk))
            if sum((a.jp for a in chosen), Decimal(0)) >= item.planned_jp:
                break
        activities_of[item.pk] = chosen
    rows = [ItemRealisation(item, activities_of[item.pk]) for item in items]
    return PlanRealisation(plan=plan, items=rows, year_over=today.year > plan.year)


def plans_of(user: User) -> QuerySet[DevelopmentPlan]:
    """`user`'s plans, newest year first."""
    return DevelopmentPlan.objects.filter(user=user).order_by("-year")


def team_plans(supervisor: User, year: int) -> list[tuple[User, DevelopmentPlan | None]]:
    """Each person of `supervisor`'s confirmed team with their plan for `year` (None when they
    have none), those waiting for the supervisor first: two queries, however large the team."""
    if not supervisor.is_authenticated:
        return []
    team = list(
        User.objects.filter(confirmed_supervisor_q(), supervisor=supervisor, is_active=True)
        .exclude(pk=supervisor.pk)
        .select_related("work_unit")
        .order_by("full_name", "pk")
    )
    plans = {
        plan.user_id: plan
        for plan in DevelopmentPlan.objects.filter(user__in=[m.pk for m in team], year=year)
    }
    rows = [(member, plans.get(member.pk)) for member in team]
    waiting = DevelopmentPlan.Status.SUBMITTED
    rows.sort(key=lambda row: 0 if row[1] is not None and row[1].status == waiting else 1)
    return rows

"""Reads for the evaluation loop: per-course results (L1-L3), the programme report, learning
needs and the needs report.

Every report is built from grouped aggregate queries, so the number of queries stays the same
whatever the number of learners, courses or answers (the tests pin it).
"""

import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from assessments.evaluation_models import (
    EVALUATION_SCORE_FIELDS,
    BehaviourFollowUp,
    CourseEvaluation,
    LearningNeed,
    PublicFeedback,
    ServiceUnit,
)
from content.models import Competency, Organization
from courses.choices import CLASSROOM_MODES
from courses.models import CourseCompetency, CoursePage
from learners.models import Enrollment, User
from learners.permissions import organizations_administered
from learners.selectors import jp_counting_enrollments, year_bounds
from learners.supervisors import confirmed_supervisor_q

COMPLETED_STATUSES = (Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED)
# Enrollments that actually began (not a pending or refused request).
STARTED_STATUSES = (
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.WITHDRAWN,
    Enrollment.Status.EXPIRED,
)
#: The public signal counts feedback of the last year: the SKM survey is yearly.
PUBLIC_SIGNAL_DAYS = 365

TWO_PLACES = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO_PLACES)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# L1: reactions


#: Learning modes led by a trainer, coach or mentor: their survey asks about facilitation even
#: without a trainer recorded on Lentera.
FACILITATED_MODES = frozenset(
    [value for value, _label in CLASSROOM_MODES] + ["coaching", "mentoring"]
)


def enrollment_is_facilitated(enrollment: Enrollment) -> bool:
    """Whether the learner had a trainer or facilitator to rate in the reaction survey: a
    classroom, coaching or mentoring course, a course with trainers, or a cohort with trainers.
    Self-paced e-learning has none, so its survey does not ask (one query at most)."""
    if enrollment.course.learning_mode in FACILITATED_MODES:
        return True
    return (
        Enrollment.objects.filter(pk=enrollment.pk)
        .filter(
            Q(course__trainers__isnull=False) | Q(cohort_membership__cohort__trainers__isnull=False)
        )
        .exists()
    )


def surveys_of(user: User) -> QuerySet[Enrollment]:
    """The reaction surveys `user` may answer or has answered: their completed enrollments,
    newest first, with the course (whether it requires the survey) and the certificate."""
    return (
        Enrollment.objects.filter(
            user=user, status__in=COMPLETED_STATUSES, completed_at__isnull=False
        )
        .select_related("course", "certificate")
        .order_by("-completed_at")
    )


def score_labels() -> dict[str, str]:
    return {
        name: CourseEvaluation._meta.get_field(name).verbose_name
        for name in EVALUATION_SCORE_FIELDS
    }


@dataclass
class ScoreSummary:
    """One Likert question: its average and how many answered 1, 2, 3, 4 and 5."""

    name: str
    label: str
    average: Decimal | None
    distribution: list[int]
    # Answers "not applicable" (or not asked): counted apart, never as a score.
    not_applicable: int = 0

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(score, count, percent of answers) for 1..5."""
        total = sum(self.distribution)
        return [
            (score, count, _percent(count, total) or 0)
            for score, count in enumerate(self.distribution, start=1)
        ]


@dataclass
class ReactionSummary:
    """A course's reaction survey results (Kirkpatrick level 1)."""

    responses: int
    completions: int
    scores: list[ScoreSummary]

    @property
    def response_rate(self) -> int | None:
        return _percent(self.responses, self.completions)

    @property
    def overall(self) -> Decimal | None:
        averages = [score.average for score in self.scores if score.average is not None]
        return _decimal(sum(averages) / len(averages)) if averages else None


def course_reaction_summary(*, course: CoursePage) -> ReactionSummary:
    """Averages, distributions and response rate, in two queries."""
    aggregates = {"responses": Count("pk")}
    for name in EVALUATION_SCORE_FIELDS:
        aggregates[f"{name}__avg"] = Avg(name)
        for score in range(1, 6):
            aggregates[f"{name}__{score}"] = Count("pk", filter=Q(**{name: score}))
        aggregates[f"{name}__na"] = Count("pk", filter=Q(**{f"{name}__isnull": True}))
    values = CourseEvaluation.objects.filter(enrollment__course=course).aggregate(**aggregates)
    completions = Enrollment.objects.filter(
        course=course, status__in=COMPLETED_STATUSES, completed_at__isnull=False
    ).count()
    labels = score_labels()
    return ReactionSummary(
        responses=values["responses"],
        completions=completions,
        scores=[
            ScoreSummary(
                name=name,
                label=labels[name],
                average=_decimal(values[f"{name}__avg"]),
                distribution=[values[f"{name}__{score}"] for score in range(1, 6)],
                not_applicable=values[f"{name}__na"],
            )
            for name in EVALUATION_SCORE_FIELDS
        ],
    )


def course_reaction_comments(*, course: CoursePage) -> QuerySet:
    """The survey's comments, newest first, without the learners' names."""
    return (
        CourseEvaluation.objects.filter(enrollment__course=course)
        .exclude(comment="")
        .order_by("-submitted_at")
        .values("comment", "submitted_at")
    )


# L2: learning gain


@dataclass
class LearnerGain:
    """A learner's best pre-test and best post-test scores in one course."""

    user_id: int
    name: str
    pre: Decimal | None
    post: Decimal | None
    passed: bool

    @property
    def gain(self) -> Decimal | None:
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre


@dataclass
class LearningGain:
    """A course's pre-test/post-test results (Kirkpatrick level 2)."""

    learners: list[LearnerGain] = field(default_factory=list)

    @property
    def paired(self) -> list[LearnerGain]:
        return [learner for learner in self.learners if learner.gain is not None]

    @property
    def average_gain(self) -> Decimal | None:
        gains = [learner.gain for learner in self.paired]
        return _decimal(sum(gains) / len(gains)) if gains else None

    @property
    def post_takers(self) -> int:
        return sum(1 for learner in self.learners if learner.post is not None)

    @property
    def pass_rate(self) -> int | None:
        passed = sum(1 for learner in self.learners if learner.post is not None and learner.passed)
        return _percent(passed, self.post_takers)


def learning_gains(
    *,
    course_ids: list[int],
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[int, LearningGain]:
    """Each learner's gain (best post-test score minus best pre-test score) per course.

    Scores are the quiz engine's stored percentages of submitted attempts; when `start` and
    `end` are given, only attempts submitted in that period count. One query.
    """
    from assessments.models import QuizAttempt, QuizPage

    attempts = QuizAttempt.objects.filter(
        enrollment__course_id__in=course_ids,
        quiz__role__in=[QuizPage.Role.PRE_TEST, QuizPage.Role.POST_TEST],
        submitted_at__isnull=False,
        score__isnull=False,
    )
    if start is not None:
        attempts = attempts.filter(submitted_at__gte=start)
    if end is not None:
        attempts = attempts.filter(submitted_at__lt=end)
    rows = (
        attempts.values("enrollment__course_id", "user_id", "user__full_name", "quiz__role")
        .annotate(best=Max("score"), passes=Count("pk", filter=Q(passed=True)))
        .order_by("user__full_name", "user_id")
    )
    learners: dict[tuple[int, int], LearnerGain] = {}
    for row in rows:
        key = (row["enrollment__course_id"], row["user_id"])
        learner = learners.setdefault(
            key,
            LearnerGain(
                user_id=row["user_id"],
                name=row["user__full_name"],
                pre=None,
                post=None,
                passed=False,
            ),
        )
        if row["quiz__role"] == QuizPage.Role.PRE_TEST:
            learner.pre = row["best"]
        else:
            learner.post = row["best"]
            learner.passed = row["passes"] > 0
    gains = {course_id: LearningGain() for course_id in course_ids}
    for (course_id, _user_id), learner in learners.items():
        gains[course_id].learners.append(learner)
    return gains


def course_has_tests(*, course: CoursePage) -> dict[str, bool]:
    """Whether a course has a published pre-test and post-test."""
    from assessments.models import QuizPage

    roles = set(
        QuizPage.objects.live()
        .descendant_of(course)
        .filter(role__in=[QuizPage.Role.PRE_TEST, QuizPage.Role.POST_TEST])
        .values_list("role", flat=True)
    )
    return {
        "pre_test": QuizPage.Role.PRE_TEST in roles,
        "post_test": QuizPage.Role.POST_TEST in roles,
    }


# L3: behaviour


@dataclass
class CompetencyRating:
    """Supervisors' average rating of change in one competency."""

    code: str
    name: str
    average: Decimal | None
    responses: int


@dataclass
class BehaviourSummary:
    """A course's supervisor follow-ups (Kirkpatrick level 3)."""

    sent: int
    answered: int
    average: Decimal | None
    competencies: list[CompetencyRating]
    comments: list[dict]

    @property
    def response_rate(self) -> int | None:
        return _percent(self.answered, self.sent)


def course_behaviour_summary(*, course: CoursePage) -> BehaviourSummary:
    """Follow-ups sent and answered, averages per competency, comments: three queries."""
    followups = BehaviourFollowUp.objects.filter(enrollment__course=course)
    totals = followups.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        average=Avg("average_rating", filter=Q(answered_at__isnull=False)),
    )
    sums: dict[str, list[int]] = defaultdict(list)
    comments = []
    for ratings, comment, answered_at in (
        followups.filter(answered_at__isnull=False)
        .order_by("-answered_at")
        .values_list("ratings", "comment", "answered_at")
    ):
        for competency_id, value in (ratings or {}).items():
            sums[str(competency_id)].append(value)
        if comment:
            comments.append({"comment": comment, "answered_at": answered_at})
    competencies = [
        CompetencyRating(
            code=code,
            name=name,
            average=(_decimal(sum(sums[str(pk)]) / len(sums[str(pk)])) if sums[str(pk)] else None),
            responses=len(sums[str(pk)]),
        )
        for pk, code, name in course.course_competencies.order_by("sort_order").values_list(
            "competency_id", "competency__code", "competency__name"
        )
    ]
    return BehaviourSummary(
        sent=totals["sent"],
        answered=totals["answered"],
        average=_decimal(totals["average"]),
        competencies=competencies,
        comments=comments,
    )


# The programme evaluation report


@dataclass
class ProgrammeRow:
    """One course's year: reach, completion, L1-L3 and JP delivered."""

    course_id: int
    title: str
    provider: str
    enrollments: int = 0
    completed_of_enrollments: int = 0
    completions: int = 0
    median_days: Decimal | None = None
    jp_delivered: Decimal = Decimal(0)
    l1_responses: int = 0
    l1_scores: dict[str, Decimal | None] = field(default_factory=dict)
    l2_average_gain: Decimal | None = None
    l2_pass_rate: int | None = None
    l2_learners: int = 0
    l3_answered: int = 0
    l3_average: Decimal | None = None

    @property
    def completion_rate(self) -> int | None:
        """Of the enrollments begun in the year, the share completed (so far)."""
        return _percent(self.completed_of_enrollments, self.enrollments)

    @property
    def l1_overall(self) -> Decimal | None:
        averages = [value for value in self.l1_scores.values() if value is not None]
        return _decimal(sum(averages) / len(averages)) if averages else None


def programme_evaluation(*, courses: QuerySet[CoursePage], year: int) -> list[ProgrammeRow]:
    """One row per course for `year`, in seven queries whatever the number of learners.

    Enrollments are those begun in the year; completions, JP, the median time to complete and
    the L1 and L3 results belong to enrollments completed in the year; L2 counts pre-test and
    post-test attempts submitted in the year.
    """
    start, end = year_bounds(year)
    rows = {
        pk: ProgrammeRow(course_id=pk, title=title, provider=provider or "")
        for pk, title, provider in courses.order_by("title").values_list(
            "pk", "title", "provider__name"
        )
    }
    ids = list(rows)
    if not ids:
        return []

    for item in (
        Enrollment.objects.filter(
            course_id__in=ids,
            status__in=STARTED_STATUSES,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("course_id")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
        )
    ):
        rows[item["course_id"]].enrollments = item["total"]
        rows[item["course_id"]].completed_of_enrollments = item["completed"]

    durations: dict[int, list[float]] = defaultdict(list)
    # A completion whose certificate was revoked still happened, but its JP no longer count
    # (the ledger's one rule).
    jp_counts = Exists(jp_counting_enrollments().filter(pk=OuterRef("pk")))
    for course_id, began, requested, completed, jp, counts in (
        Enrollment.objects.filter(
            course_id__in=ids,
            status__in=COMPLETED_STATUSES,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .annotate(jp_counts=jp_counts)
        .values_list(
            "course_id", "started_at", "created_at", "completed_at", "jp_credited", "jp_counts"
        )
    ):
        row = rows[course_id]
        row.completions += 1
        if counts:
            row.jp_delivered += jp or Decimal(0)
        durations[course_id].append((completed - (began or requested)).total_seconds() / 86400)
    for course_id, days in durations.items():
        rows[course_id].median_days = _decimal(statistics.median(days)).quantize(Decimal("0.1"))

    l1 = {"responses": Count("pk")} | {name: Avg(name) for name in EVALUATION_SCORE_FIELDS}
    for item in (
        CourseEvaluation.objects.filter(
            enrollment__course_id__in=ids,
            enrollment__completed_at__gte=start,
            enrollment__completed_at__lt=end,
        )
        .values("enrollment__course_id")
        .annotate(**l1)
    ):
        row = rows[item["enrollment__course_id"]]
        row.l1_responses = item["responses"]
        row.l1_scores = {name: _decimal(item[name]) for name in EVALUATION_SCORE_FIELDS}

    for course_id, gain in learning_gains(course_ids=ids, start=start, end=end).items():
        rows[course_id].l2_average_gain = gain.average_gain
        rows[course_id].l2_pass_rate = gain.pass_rate
        rows[course_id].l2_learners = len(gain.paired)

    for item in (
        BehaviourFollowUp.objects.filter(
            enrollment__course_id__in=ids,
            enrollment__completed_at__gte=start,
            enrollment__completed_at__lt=end,
            answered_at__isnull=False,
        )
        .values("enrollment__course_id")
        .annotate(answered=Count("pk"), average=Avg("average_rating"))
    ):
        row = rows[item["enrollment__course_id"]]
        row.l3_answered = item["answered"]
        row.l3_average = _decimal(item["average"])
    return list(rows.values())


# Learning needs


def needs_of(user: User) -> QuerySet[LearningNeed]:
    """A learner's own needs, newest first."""
    return (
        LearningNeed.objects.filter(user=user)
        .select_related("competency", "endorsed_by")
        .order_by("-created_at")
    )


def needs_to_decide(user: User) -> QuerySet[LearningNeed]:
    """Submitted needs `user` may endorse: their staff's, and their organization's as its admin.

    Never their own, even as an organization admin.
    """
    if not user.is_authenticated:
        return LearningNeed.objects.none()
    return (
        LearningNeed.objects.filter(status=LearningNeed.Status.SUBMITTED)
        .filter(
            Q(confirmed_supervisor_q("user__"), user__supervisor=user)
            | Q(user__organization__in=organizations_administered(user))
        )
        .exclude(user=user)
        .select_related("user", "user__organization", "user__work_unit", "competency")
        .order_by("submitted_at", "pk")
    )


def needs_decided_by(user: User, *, limit: int = 20) -> QuerySet[LearningNeed]:
    """The needs `user` decided most recently, as a record of their endorsements."""
    return (
        LearningNeed.objects.filter(endorsed_by=user)
        .select_related("user", "competency")
        .order_by("-endorsed_at")[:limit]
    )


@dataclass
class NeedsRow:
    """Demand for one competency at one target level against the catalog's supply.

    `target_level` is None for a competency that only the public signal points to.
    """

    competency_id: int
    code: str
    name: str
    target_level: int | None
    demand: int = 0
    high_priority: int = 0
    awaiting: int = 0
    supply: int = 0
    supply_titles: list[str] = field(default_factory=list)
    public_signal: int = 0

    @property
    def is_gap(self) -> bool:
        """Endorsed demand, or the public's signal, and no course to meet it."""
        return self.supply == 0 and (self.demand > 0 or self.public_signal > 0)


@dataclass
class OrganizationDemand:
    organization: str
    code: str
    name: str
    target_level: int
    demand: int


@dataclass
class UnitSignal:
    """One service unit's public feedback and the competencies its shortfalls point to."""

    unit_id: int
    unit: str
    organization: str
    responses: int
    average_rating: Decimal | None
    competencies: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class NeedsReport:
    rows: list[NeedsRow]
    by_organization: list[OrganizationDemand]
    units: list[UnitSignal]
    recent_comments: list[dict]
    since: datetime

    @property
    def gaps(self) -> list[NeedsRow]:
        return [row for row in self.rows if row.is_gap]


def needs_report(
    *,
    organizations: QuerySet[Organization] | None = None,
    now: datetime | None = None,
    comments: int = 20,
) -> NeedsReport:
    """Demand (endorsed needs) by competency and target level against supply (live courses
    covering the competency at that level or above), with the public signal from feedback.

    `organizations` limits demand and the public signal to those organizations' people and
    units (None: all). Supply is the whole catalog: any provider's course meets a need.
    Seven queries, whatever the number of needs, courses or feedback.
    """
    since = (now or timezone.now()) - timedelta(days=PUBLIC_SIGNAL_DAYS)
    needs = LearningNeed.objects.all()
    feedback = PublicFeedback.objects.filter(created_at__gte=since)
    if organizations is not None:
        needs = needs.filter(user__organization__in=organizations)
        feedback = feedback.filter(unit__organization__in=organizations)

    rows: dict[tuple[int, int | None], NeedsRow] = {}
    competency_ids: set[int] = set()
    demand = (
        needs.filter(status__in=[LearningNeed.Status.ENDORSED, LearningNeed.Status.SUBMITTED])
        .values("competency_id", "target_level")
        .annotate(
            endorsed=Count("pk", filter=Q(status=LearningNeed.Status.ENDORSED)),
            high=Count(
                "pk",
                filter=Q(status=LearningNeed.Status.ENDORSED, priority=LearningNeed.Priority.HIGH),
            ),
            awaiting=Count("pk", filter=Q(status=LearningNeed.Status.SUBMITTED)),
        )
    )
    for item in demand:
        key = (item["competency_id"], item["target_level"])
        rows[key] = NeedsRow(
            competency_id=item["competency_id"],
            code="",
            name="",
            target_level=item["target_level"],
            demand=item["endorsed"],
            high_priority=item["high"],
            awaiting=item["awaiting"],
        )
        competency_ids.add(item["competency_id"])

    signal = dict(
        feedback.filter(aspects__competencies__isnull=False)
        .values("aspects__competencies")
        .annotate(responses=Count("pk", distinct=True))
        .order_by()
        .values_list("aspects__competencies", "responses")
    )
    for competency_id in signal:
        if not any(key[0] == competency_id for key in rows):
            rows[(competency_id, None)] = NeedsRow(
                competency_id=competency_id, code="", name="", target_level=None
            )
        competency_ids.add(competency_id)

    # Supply: one row per live course and competency (a course lists a competency once).
    supply: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for competency_id, level, title in (
        CourseCompetency.objects.filter(competency_id__in=competency_ids, page__live=True)
        .order_by("page__title")
        .values_list("competency_id", "target_level", "page__title")
    ):
        supply[competency_id].append((level, title))

    names = {
        pk: (code, name)
        for pk, code, name in Competency.objects.filter(pk__in=competency_ids).values_list(
            "pk", "code", "name"
        )
    }
    for (competency_id, level), row in rows.items():
        row.code, row.name = names.get(competency_id, ("", ""))
        titles = [
            title for course_level, title in supply[competency_id] if course_level >= (level or 0)
        ]
        row.supply = len(titles)
        row.supply_titles = titles
        row.public_signal = signal.get(competency_id, 0)

    by_organization = [
        OrganizationDemand(
            organization=item["user__organization__name"] or "—",
            code=item["competency__code"],
            name=item["competency__name"],
            target_level=item["target_level"],
            demand=item["endorsed"],
        )
        for item in needs.filter(status=LearningNeed.Status.ENDORSED)
        .values(
            "user__organization__name",
            "competency__code",
            "competency__name",
            "target_level",
        )
        .annotate(endorsed=Count("pk"))
        .order_by("user__organization__name", "competency__code", "target_level")
    ]

    units = {
        item["unit_id"]: UnitSignal(
            unit_id=item["unit_id"],
            unit=item["unit__name"],
            organization=item["unit__organization__name"],
            responses=item["responses"],
            average_rating=_decimal(item["average"]),
        )
        for item in feedback.values("unit_id", "unit__name", "unit__organization__name")
        .annotate(responses=Count("pk"), average=Avg("rating"))
        .order_by("unit__organization__name", "unit__name")
    }
    for item in (
        feedback.filter(aspects__competencies__isnull=False)
        .values("unit_id", "aspects__competencies__code", "aspects__competencies__name")
        .annotate(responses=Count("pk", distinct=True))
        .order_by("unit_id", "-responses", "aspects__competencies__code")
    ):
        units[item["unit_id"]].competencies.append(
            (
                item["aspects__competencies__code"],
                item["aspects__competencies__name"],
                item["responses"],
            )
        )

    recent = list(
        feedback.exclude(comment="")
        .order_by("-created_at")
        .values("unit__name", "rating", "comment", "created_at")[:comments]
    )
    ordered = sorted(
        rows.values(),
        key=lambda row: (
            not row.is_gap,
            -row.demand,
            -row.public_signal,
            row.code,
            row.target_level or 0,
        ),
    )
    return NeedsReport(
        rows=ordered,
        by_organization=by_organization,
        units=list(units.values()),
        recent_comments=recent,
        since=since,
    )


def service_units_by_organization() -> list[tuple[Organization, list[ServiceUnit]]]:
    """The service units taking public feedback, grouped by organization, in one query."""
    units = (
        ServiceUnit.objects.filter(public=True)
        .select_related("organization")
        .order_by("organization__name", "organization_id", "name")
    )
    return [
        (organization, list(group))
        for organization, group in itertools.groupby(units, key=lambda unit: unit.organization)
    ]

"""Reads for the trainer's dashboard: the learners table, its summary, charts and exports.

Progress, last activity and each learner's status are computed by the database for the whole
cohort at once, so a cohort of 5,000 learners in a 60-lesson course costs the same few queries
as a cohort of ten.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, CohortInvitation, CohortMembership
from courses.models import LessonPage, ModulePage
from courses.outline import outline_token
from courses.templatetags.course_tags import OUTLINE_CACHE_SECONDS
from learners.models import Enrollment, LessonCompletion, User
from learners.permissions import enrollments_decidable_by
from learners.selectors import FINISHED_STATUSES, stored_progress_expression
from packages.models import ScoState
from quizzes.models import QuizAttempt

#: Enrollments shown in the learners table (requests to join are listed apart).
TABLE_STATUSES = (
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.EXPIRED,
)


class LearnerState:
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    COMPLETED = "completed"

    choices = [
        (NOT_STARTED, _("Not started")),
        (ON_TRACK, _("On track")),
        (AT_RISK, _("At risk")),
        (COMPLETED, _("Completed")),
    ]
    labels = dict(choices)


SORTS = {
    "name": ("user__full_name", "pk"),
    "-name": ("-user__full_name", "-pk"),
    "unit": ("user__work_unit__name", "user__full_name", "pk"),
    "-unit": ("-user__work_unit__name", "user__full_name", "pk"),
    "progress": ("percent", "user__full_name", "pk"),
    "-progress": ("-percent", "user__full_name", "pk"),
    "activity": (F("last_activity").asc(nulls_first=True), "user__full_name", "pk"),
    "-activity": (F("last_activity").desc(nulls_last=True), "user__full_name", "pk"),
    "status": ("state_order", "user__full_name", "pk"),
    "-status": ("-state_order", "user__full_name", "pk"),
}


def elapsed_percent(cohort: Cohort, today: date | None = None) -> int:
    """How much of the cohort's duration has passed, 0-100 (whole days, the end day included)."""
    today = today or timezone.localdate()
    total_days = (cohort.ends_on - cohort.starts_on).days + 1
    passed_days = (today - cohort.starts_on).days + 1
    return max(0, min(100, round(100 * passed_days / total_days))) if passed_days > 0 else 0


@dataclass(frozen=True)
class RiskRule:
    """At risk: progress below the elapsed share of the cohort's duration minus a threshold."""

    elapsed: int
    threshold: int

    @property
    def below(self) -> int:
        return self.elapsed - self.threshold


def risk_rule(cohort: Cohort, today: date | None = None) -> RiskRule:
    return RiskRule(
        elapsed=elapsed_percent(cohort, today), threshold=settings.LENTERA_AT_RISK_THRESHOLD
    )


def required_lesson_count(cohort: Cohort) -> int:
    return (
        LessonPage.objects.live()
        .descendant_of(cohort.course)
        .filter(required_for_completion=True)
        .count()
    )


def cohort_enrollments(
    cohort: Cohort, *, rule: RiskRule, required_count: int | None = None
) -> QuerySet[Enrollment]:
    """The cohort's learners, each annotated with `done` (required lessons completed),
    `percent`, `last_activity` and `state` (see `LearnerState`).

    Every figure comes from the enrollment's own row: its stored progress (`required_done` of
    `required_total`, and its latest completion, kept by `learners.progress` as lessons are
    completed), so filtering, sorting and counting 5,000 learners reads no completion.
    `required_count` is accepted for the callers that counted the lessons already; the stored
    total is the one the stored count was made against.
    """
    finished = Q(status__in=FINISHED_STATUSES)
    # No lesson done and never opened: what the table shows as 0% and no last activity.
    never_started = Q(done=0, last_activity__isnull=True)
    last_completion = F("last_completed_at")
    return (
        Enrollment.objects.filter(cohort_membership__cohort=cohort, status__in=TABLE_STATUSES)
        .annotate(
            done=F("required_done"),
            last_activity=Greatest(
                Coalesce(last_completion, "last_visited_at"),
                Coalesce("last_visited_at", last_completion),
            ),
        )
        # The rule of every progress shown (learners.selectors.progress_percent).
        .annotate(percent=stored_progress_expression())
        .annotate(
            state=Case(
                When(finished, then=Value(LearnerState.COMPLETED)),
                When(percent__lt=rule.below, then=Value(LearnerState.AT_RISK)),
                When(never_started, then=Value(LearnerState.NOT_STARTED)),
                default=Value(LearnerState.ON_TRACK),
                output_field=CharField(),
            ),
            # Most urgent first when sorting by status.
            state_order=Case(
                When(finished, then=Value(3)),
                When(percent__lt=rule.below, then=Value(0)),
                When(never_started, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
    )


@dataclass
class TableFilters:
    state: str = ""
    unit: int | None = None
    query: str = ""
    sort: str = "name"


def filtered_enrollments(base: QuerySet[Enrollment], filters: TableFilters) -> QuerySet:
    rows = base
    if filters.state == LearnerState.NOT_STARTED:
        # Those at risk who never started too, as the summary counts them (`never_started`).
        rows = rows.filter(done=0, last_activity__isnull=True).exclude(status__in=FINISHED_STATUSES)
    elif filters.state in LearnerState.labels:
        rows = rows.filter(state=filters.state)
    if filters.unit:
        rows = rows.filter(user__work_unit_id=filters.unit)
    if filters.query:
        rows = rows.filter(
            Q(user__full_name__icontains=filters.query)
            | Q(user__email__icontains=filters.query)
            | Q(user__nip__startswith=filters.query.replace(" ", ""))
        )
    return rows.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def never_started(enrollment: Enrollment) -> bool:
    """No lesson done and never opened (an enrollment from `cohort_enrollments`); such a
    learner is also at risk once the cohort is far enough along."""
    return (
        enrollment.state != LearnerState.COMPLETED
        and enrollment.done == 0
        and enrollment.last_activity is None
    )


@dataclass
class LessonColumn:
    id: int
    title: str
    module: str
    is_quiz: bool
    due_on: date | None = None
    completed: int = 0
    # A package lesson (SCORM, H5P): its score is the package's, shown beside the quizzes'.
    is_package: bool = False
    # Counts toward the course's completion (`LessonPage.required_for_completion`).
    required: bool = True

    @property
    def scored(self) -> bool:
        """The lesson has a score per learner (a quiz's best, a package's): a score column."""
        return self.is_quiz or self.is_package


def course_lessons(cohort: Cohort) -> list[LessonColumn]:
    """The course's live lessons in outline order, with their module and due date: the
    lessons from the cache per version of the course's outline (`_course_lesson_rows`), the
    cohort's due dates in one query."""
    dues = dict(cohort.lesson_dues.values_list("lesson_id", "due_on"))
    return [
        LessonColumn(
            id=pk,
            title=title,
            module=module,
            is_quiz=is_quiz,
            is_package=is_package,
            due_on=dues.get(pk),
            required=required,
        )
        for pk, title, module, is_quiz, is_package, required in _course_lesson_rows(cohort.course)
    ]


def _course_lesson_rows(course) -> list[tuple]:
    """(id, title, module title, is quiz, is package lesson, required) of the course's live
    lessons in outline order; 2 queries, then from the cache until the course's outline version
    changes (`courses.outline`: any page of the course saved, published, moved or deleted).
    Reading 1,000 lessons on every view of a cohort page made it grow with the course.

    Whether a lesson is a quiz or a package lesson comes with the lessons themselves: both
    are multi-table children of `LessonPage`, so their tables are LEFT JOINed to its rows
    (one query however many kinds of scored lesson there are).
    """
    published = course.last_published_at.timestamp() if course.last_published_at else 0
    key = f"cohorts:course-lessons:{course.pk}:{outline_token(course)}:{published:.6f}"
    rows = cache.get(key)
    if rows is None:
        modules = {
            module.path: module.title
            for module in ModulePage.objects.live().descendant_of(course).only("path", "title")
        }
        rows = [
            (
                pk,
                title,
                modules.get(path[: -LessonPage.steplen], ""),
                quiz_id is not None,
                package_id is not None,
                required,
            )
            for pk, path, title, quiz_id, package_id, required in LessonPage.objects.live()
            .descendant_of(course)
            .order_by("path")
            .values_list(
                "pk", "path", "title", "quizpage", "packagelessonpage", "required_for_completion"
            )
        ]
        cache.set(key, rows, OUTLINE_CACHE_SECONDS)
    return rows


#: How long a cohort's per-lesson completion counts (and its completions chart,
#: `cohorts.statistics.completions_per_day`) are reused: counting them reads every completion
#: of the cohort's learners (a third of a million at 5,000 learners: a second); a count a few
#: minutes behind still shows which lessons the cohort is stuck on, and each learner's own
#: progress in the table is never stale (stored progress).
COHORT_COUNTS_CACHE_SECONDS = 5 * 60


def lesson_completion_counts(cohort: Cohort, lessons: list[LessonColumn]) -> list[LessonColumn]:
    """Fill in how many of the cohort's learners completed each lesson; one query, cached for
    `COHORT_COUNTS_CACHE_SECONDS`."""
    key = f"cohorts:lesson-counts:{cohort.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(
            LessonCompletion.objects.filter(
                enrollment__cohort_membership__cohort=cohort,
                enrollment__status__in=TABLE_STATUSES,
            )
            .values("lesson_id")
            .annotate(count=Count("pk"))
            .values_list("lesson_id", "count")
        )
        cache.set(key, counts, COHORT_COUNTS_CACHE_SECONDS)
    for lesson in lessons:
        lesson.completed = counts.get(lesson.id, 0)
    return lessons


CENT = Decimal("0.01")


def lesson_scores(enrollment_ids) -> dict[int, dict[int, Decimal]]:
    """{enrollment id: {lesson id: score in percent}} of the scored lessons; one query.

    A quiz's score is its best submitted attempt. A package lesson's (SCORM, H5P) is the mean
    of its items' scaled scores (one item for most packages: SCORM 1.2's raw score within min
    and max, SCORM 2004's cmi.score.scaled, H5P's best result) as a percentage, rounded to two
    decimals; items without a score, and those of a package the lesson no longer plays, do not
    count. Both are read by one UNION ALL of two
    grouped queries (quiz and package lesson ids never collide: they are rows of the one
    `LessonPage` table), so package lessons cost no query of their own.
    """
    quizzes = (
        QuizAttempt.objects.filter(enrollment_id__in=enrollment_ids, score__isnull=False)
        .order_by()
        .values("enrollment_id", "quiz_id")
        .annotate(best=Max("score"))
        .values_list("enrollment_id", "quiz_id", "best")
    )
    packages = (
        ScoState.objects.filter(
            attempt__enrollment_id__in=enrollment_ids,
            score_scaled__isnull=False,
            # Scores of a package the lesson no longer plays (replaced by a new upload) are not
            # the lesson's: the learner starts the new one afresh.
            attempt__package_id=F("attempt__lesson__package_id"),
        )
        .order_by()
        .values("attempt__enrollment_id", "attempt__lesson_id")
        .annotate(
            # Numeric on both sides of the UNION (PostgreSQL would make the quizzes' floats).
            score=Cast(Avg("score_scaled") * 100, DecimalField(max_digits=7, decimal_places=2))
        )
        .values_list("attempt__enrollment_id", "attempt__lesson_id", "score")
    )
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for enrollment_id, lesson_id, score in quizzes.union(packages, all=True):
        # Two decimals like `QuizAttempt.score` (SQLite hands back 83.3300000000000).
        scores[enrollment_id][lesson_id] = Decimal(score).quantize(CENT, rounding=ROUND_HALF_UP)
    return scores


def cohort_learner_progress(cohort: Cohort, user_ids) -> dict[int, int]:
    """{user id: percent} for some of a cohort's learners (for reminder e-mails)."""
    base = cohort_enrollments(cohort, rule=risk_rule(cohort))
    return dict(base.filter(user_id__in=list(user_ids)).values_list("user_id", "percent"))


@dataclass
class TrainerCohort:
    cohort: Cohort
    learners: int
    completed: int
    pending: int
    extra: dict = field(default_factory=dict)


def cohorts_overview(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """A trainer's cohorts with their counts, in one query."""
    return (
        cohorts.select_related("course")
        .annotate(
            learner_count=Count(
                "memberships", filter=Q(memberships__enrollment__status__in=TABLE_STATUSES)
            ),
            completed_count=Count(
                "memberships",
                filter=Q(
                    memberships__enrollment__status__in=[
                        Enrollment.Status.COMPLETED,
                        Enrollment.Status.EXPIRED,
                    ]
                ),
            ),
            pending_count=Count(
                "memberships", filter=Q(memberships__enrollment__status=Enrollment.Status.PENDING)
            ),
        )
        .order_by("-starts_on", "name")
    )


def pending_requests(cohort: Cohort, *, decider: User) -> QuerySet[Enrollment]:
    """Requests to join `cohort` that `decider` may decide (never their own)."""
    return (
        enrollments_decidable_by(decider)
        .filter(cohort_membership__cohort=cohort)
        .select_related("user", "user__organization", "user__work_unit")
        .order_by("created_at")
    )


def membership_of(enrollment: Enrollment) -> CohortMembership | None:
    return CohortMembership.objects.filter(enrollment=enrollment).select_related("cohort").first()


def invitations_listed(cohort: Cohort) -> QuerySet[CohortInvitation]:
    """The cohort's invitations not taken yet, pending and expired (until `lentera_daily`
    removes them), oldest first; one query without joins."""
    return CohortInvitation.objects.filter(cohort=cohort, accepted_at=None).order_by(
        "created_at", "pk"
    )

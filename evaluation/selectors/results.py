"""Reads for one course's evaluation results: reactions (L1), learning gain (L2) and behaviour
(L3), and the helpers the other evaluation reports share.

Every report is built from grouped aggregate queries, so the number of queries stays the same
whatever the number of learners or answers (the tests pin it).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Max, Q, QuerySet

from courses.choices import CLASSROOM_MODES
from courses.models import CoursePage
from evaluation.models import (
    EVALUATION_SCORE_FIELDS,
    BehaviourFollowUp,
    CourseEvaluation,
)
from learners.models import Enrollment, User

COMPLETED_STATUSES = (Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED)
# Enrollments that actually began (not a pending or refused request).
STARTED_STATUSES = (
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.WITHDRAWN,
    Enrollment.Status.EXPIRED,
)
TWO_PLACES = Decimal("0.01")


def rounded_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO_PLACES)


def percent_of(part: int, whole: int) -> int | None:
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
            (score, count, percent_of(count, total) or 0)
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
        return percent_of(self.responses, self.completions)

    @property
    def overall(self) -> Decimal | None:
        averages = [score.average for score in self.scores if score.average is not None]
        return rounded_decimal(sum(averages) / len(averages)) if averages else None


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
                average=rounded_decimal(values[f"{name}__avg"]),
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
        return rounded_decimal(sum(gains) / len(gains)) if gains else None

    @property
    def post_takers(self) -> int:
        return sum(1 for learner in self.learners if learner.post is not None)

    @property
    def pass_rate(self) -> int | None:
        passed = sum(1 for learner in self.learners if learner.post is not None and learner.passed)
        return percent_of(passed, self.post_takers)


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
    from quizzes.models import QuizAttempt, QuizPage

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
    from quizzes.models import QuizPage

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
        return percent_of(self.answered, self.sent)


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
            average=(
                rounded_decimal(sum(sums[str(pk)]) / len(sums[str(pk)])) if sums[str(pk)] else None
            ),
            responses=len(sums[str(pk)]),
        )
        for pk, code, name in course.course_competencies.order_by("sort_order").values_list(
            "competency_id", "competency__code", "competency__name"
        )
    ]
    return BehaviourSummary(
        sent=totals["sent"],
        answered=totals["answered"],
        average=rounded_decimal(totals["average"]),
        competencies=competencies,
        comments=comments,
    )

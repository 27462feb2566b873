"""The programme evaluation report: per course and year, reach, completion, L1-L3 and JP
delivered, from grouped aggregate queries (seven whatever the number of learners)."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

from courses.models import CoursePage
from evaluation.models import (
    EVALUATION_SCORE_FIELDS,
    BehaviourFollowUp,
    CourseEvaluation,
)
from evaluation.selectors.results import (
    COMPLETED_STATUSES,
    STARTED_STATUSES,
    learning_gains,
    percent_of,
    rounded_decimal,
)
from learners.models import Enrollment
from learners.selectors import jp_counting_enrollments, year_bounds


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
        return percent_of(self.completed_of_enrollments, self.enrollments)

    @property
    def l1_overall(self) -> Decimal | None:
        averages = [value for value in self.l1_scores.values() if value is not None]
        return rounded_decimal(sum(averages) / len(averages)) if averages else None


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
        rows[course_id].median_days = rounded_decimal(statistics.median(days)).quantize(
            Decimal("0.1")
        )

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
        row.l1_scores = {name: rounded_decimal(item[name]) for name in EVALUATION_SCORE_FIELDS}

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
        row.l3_average = rounded_decimal(item["average"])
    return list(rows.values())

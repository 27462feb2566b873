"""The numbers behind the trainer's cohort charts: the summary (how many learners finished, are
under way or never started, and the post-test score histogram) and completions over time. Each
is computed by the database for the whole cohort at once, as the learners table is
(`cohorts.selectors`)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import formats, timezone

from cohorts.models import Cohort
from cohorts.selectors import COHORT_COUNTS_CACHE_SECONDS, TABLE_STATUSES, LearnerState
from learners.models import Enrollment, LessonCompletion


@dataclass
class CohortSummary:
    learners: int
    completed: int
    at_risk: int
    # Every learner who never started, at risk or not (the table's 0% and no last activity).
    not_started: int
    on_track: int
    average_percent: int
    histogram: list[tuple[str, int]]

    @property
    def completion_rate(self) -> int:
        return round(100 * self.completed / self.learners) if self.learners else 0


#: The progress distribution's bins: (label, lowest percent, highest percent).
HISTOGRAM_BINS = [
    ("0%", 0, 0),
    ("1–20%", 1, 20),
    ("21–40%", 21, 40),
    ("41–60%", 41, 60),
    ("61–80%", 61, 80),
    ("81–99%", 81, 99),
    ("100%", 100, 100),
]


def cohort_summary(base: QuerySet[Enrollment]) -> CohortSummary:
    """Counts, average progress and the progress distribution.

    One query, grouped by each learner's (state, percent, never opened) as the database
    computes them from the stored progress (the single definition of both): at most a few
    hundred groups (4 states × 101 percents × 2) whatever the number of learners, where
    reading one row per learner made the page's time grow with the cohort (5,000 rows at
    size L).
    """
    states = dict.fromkeys(LearnerState.labels, 0)
    bins = [0] * len(HISTOGRAM_BINS)
    total = 0
    not_started = 0
    rows = (
        base.annotate(
            fresh=Case(
                When(Q(done=0, last_activity__isnull=True), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by()
        .values_list("state", "percent", "fresh")
        .annotate(learners=Count("pk"))
    )
    for state, percent, fresh, count in rows:
        total += percent * count
        states[state] += count
        if state != LearnerState.COMPLETED and fresh:
            not_started += count
        for index, (_label, low, high) in enumerate(HISTOGRAM_BINS):
            if low <= percent <= high:
                bins[index] += count
                break
    learners = sum(states.values())
    return CohortSummary(
        learners=learners,
        completed=states[LearnerState.COMPLETED],
        at_risk=states[LearnerState.AT_RISK],
        not_started=not_started,
        on_track=states[LearnerState.ON_TRACK],
        average_percent=round(total / learners) if learners else 0,
        histogram=[(label, bins[index]) for index, (label, *_r) in enumerate(HISTOGRAM_BINS)],
    )


#: Lessons completed are counted per day up to this many days, per week beyond (as the chart
#: draws them), over this many weeks at most: the query's cost never grows with the cohort's
#: length (a count per day of a cohort spanning 27 years took 33 s, one spanning centuries 2 GB).
DAILY_COMPLETIONS_DAYS = 92
MAX_COMPLETIONS_WEEKS = 160


def _week_start(day: date) -> date:
    """The first day of `day`'s week in the active language (Monday in Indonesia), as the
    chart groups weeks."""
    first = (int(formats.get_format("FIRST_DAY_OF_WEEK")) - 1) % 7  # date.weekday() numbering
    return day - timedelta(days=(day.weekday() - first) % 7)


def completions_per_day(cohort: Cohort) -> list[tuple[date, int]]:
    """Lessons completed by the cohort's learners per day over the cohort's dates, or per week
    (dated by its first day) when the cohort is longer than `DAILY_COMPLETIONS_DAYS`, over its
    last `MAX_COMPLETIONS_WEEKS` weeks at most.

    One scan with a conditional count per day (or week) on the indexed timestamp: converting
    every completion's timestamp to a local date would cost a function call per row.
    """
    end = min(cohort.ends_on, timezone.localdate())
    if end < cohort.starts_on:
        return []
    if (end - cohort.starts_on).days + 1 <= DAILY_COMPLETIONS_DAYS:
        step = timedelta(days=1)
        slots = [cohort.starts_on + step * n for n in range((end - cohort.starts_on).days + 1)]
        starts = slots
    else:
        step = timedelta(weeks=1)
        last_week = _week_start(end)
        earliest = last_week - step * (MAX_COMPLETIONS_WEEKS - 1)
        # (a start long before that is never handed to date arithmetic: year 1 overflows)
        first_week = earliest if cohort.starts_on < earliest else _week_start(cohort.starts_on)
        slots = [first_week + step * n for n in range((last_week - first_week) // step + 1)]
        # The first week counts from the cohort's start, not from the week's first day.
        starts = [max(slots[0], cohort.starts_on), *slots[1:]]
    zone = timezone.get_current_timezone()
    bounds = [datetime.combine(day, time.min, tzinfo=zone) for day in [*starts, end + timedelta(1)]]
    # Keyed on the slots themselves: a new day, another language's week or time zone is
    # another entry.
    edges = ":".join(moment.isoformat() for moment in (*bounds[:2], bounds[-1]))
    key = f"cohorts:completions:{cohort.pk}:{edges}:{len(slots)}"
    counts = cache.get(key)
    if counts is None:
        counts = _completions_between(cohort, bounds)
        cache.set(key, counts, COHORT_COUNTS_CACHE_SECONDS)
    return [(day, counts[f"d{n}"]) for n, day in enumerate(slots)]


def _completions_between(cohort: Cohort, bounds: list[datetime]) -> dict[str, int]:
    slots = len(bounds) - 1
    return LessonCompletion.objects.filter(
        enrollment__cohort_membership__cohort=cohort,
        enrollment__status__in=TABLE_STATUSES,
        completed_at__gte=bounds[0],
        completed_at__lt=bounds[-1],
    ).aggregate(
        **{
            f"d{n}": Count(
                "pk", filter=Q(completed_at__gte=bounds[n], completed_at__lt=bounds[n + 1])
            )
            for n in range(slots)
        }
    )


@dataclass
class ModuleCompletion:
    """One module of the course in the cohort's "completion per module" chart."""

    number: int  # 1-based, in outline order: the `modul` parameter of its drill-down
    title: str
    lessons: list  # its `selectors.LessonColumn`s, with their `completed` counts
    percent: int | None  # None: no learner, or no lesson of the module to count


def module_completion(lessons: list, learners: int) -> list[ModuleCompletion]:
    """Per module (lessons in outline order, as `selectors.course_lessons` returns them, with
    their cached `completed` counts from `selectors.lesson_completion_counts`): the share of the
    module's required lessons done by the cohort's learners, i.e. the completions of those
    lessons over learners × lessons. A module whose lessons are all optional counts them all.
    No query: the per-lesson counts are already read."""
    modules = []
    for number, (title, group) in enumerate(
        groupby(lessons, key=lambda lesson: lesson.module), start=1
    ):
        group = list(group)
        counted = [lesson for lesson in group if lesson.required] or group
        done = sum(lesson.completed for lesson in counted)
        percent = round(100 * done / (learners * len(counted))) if learners else None
        modules.append(ModuleCompletion(number, title, group, percent))
    return modules

"""The learners table's figures: progress, status and the at-risk rule at its boundaries."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cohorts.members import cohort_members_add
from cohorts.models import Cohort
from cohorts.selectors import (
    LearnerState,
    cohort_enrollments,
    elapsed_percent,
    required_lesson_count,
    risk_rule,
)
from cohorts.statistics import cohort_summary
from courses.models import LessonPage
from learners.models import Enrollment, LessonCompletion
from learners.progress import recount_progress

pytestmark = pytest.mark.django_db


def _complete(enrollment, lessons):
    """Completions in bulk, as at scale, then counted as the generator counts them."""
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrollment=enrollment, lesson=lesson, completed_at=timezone.now())
        for lesson in lessons
    )
    recount_progress(Enrollment.objects.filter(pk=enrollment.pk))


def _states(cohort):
    base = cohort_enrollments(
        cohort, required_count=required_lesson_count(cohort), rule=risk_rule(cohort)
    )
    return {row.user.full_name: (row.percent, row.state) for row in base.select_related("user")}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 10, 31), 0),  # before the start
        (date(2026, 11, 1), 3),  # the first of 30 days
        (date(2026, 11, 15), 50),
        (date(2026, 11, 30), 100),  # the last day
        (date(2026, 12, 25), 100),  # after the end
    ],
)
def test_elapsed_share_of_the_cohort(today, expected):
    cohort = Cohort(starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30))
    assert elapsed_percent(cohort, today) == expected


def test_one_day_cohort_is_all_elapsed_on_its_day():
    cohort = Cohort(starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 1))
    assert elapsed_percent(cohort, date(2026, 11, 1)) == 100


@pytest.fixture
def members(cohort, trainer, learners, course_a):
    """Learners with 0, 1 and 4 of the 4 lessons done; the cohort is half way through."""
    cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    lessons = list(LessonPage.objects.descendant_of(course_a).order_by("path"))
    enrollments = {e.user.full_name: e for e in Enrollment.objects.select_related("user")}
    _complete(enrollments["Peserta 02"], lessons[:1])
    _complete(enrollments["Peserta 03"], lessons)
    Enrollment.objects.filter(pk=enrollments["Peserta 03"].pk).update(
        status=Enrollment.Status.COMPLETED, completed_at=timezone.now()
    )
    return enrollments


def test_at_risk_boundary_is_strictly_below(members, cohort, settings):
    assert elapsed_percent(cohort) == 50
    # 50% elapsed - 25 = 25: a learner at 25% is not behind it.
    settings.LENTERA_AT_RISK_THRESHOLD = 25
    assert _states(cohort)["Peserta 02"] == (25, LearnerState.ON_TRACK)
    # 50 - 24 = 26: 25% is now below it.
    settings.LENTERA_AT_RISK_THRESHOLD = 24
    assert _states(cohort)["Peserta 02"] == (25, LearnerState.AT_RISK)


def test_not_started_becomes_at_risk_once_time_runs(members, cohort, settings):
    settings.LENTERA_AT_RISK_THRESHOLD = 50
    assert _states(cohort)["Peserta 01"] == (0, LearnerState.NOT_STARTED)
    settings.LENTERA_AT_RISK_THRESHOLD = 20
    states = _states(cohort)
    assert states["Peserta 01"] == (0, LearnerState.AT_RISK)
    assert states["Peserta 03"] == (100, LearnerState.COMPLETED)


def test_not_started_counts_everyone_who_never_started_even_at_risk(
    cohort, trainer, learners, settings
):
    """The issue: three members at 0% with no activity, at risk half way through, and the
    summary said nobody had not started."""
    cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    # One of them opened the course once: they started, though no lesson is done.
    Enrollment.objects.filter(user=learners[2]).update(last_visited_at=timezone.now())
    settings.LENTERA_AT_RISK_THRESHOLD = 20
    base = cohort_enrollments(
        cohort, required_count=required_lesson_count(cohort), rule=risk_rule(cohort)
    )
    summary = cohort_summary(base)
    assert (summary.at_risk, summary.not_started) == (3, 2)
    # Early on nobody is at risk: the two who never started are "not started", the visitor is
    # on track.
    settings.LENTERA_AT_RISK_THRESHOLD = 80
    states = _states(cohort)
    assert [states[f"Peserta 0{n}"][1] for n in (1, 2, 3)] == [
        LearnerState.NOT_STARTED,
        LearnerState.NOT_STARTED,
        LearnerState.ON_TRACK,
    ]
    base = cohort_enrollments(
        cohort, required_count=required_lesson_count(cohort), rule=risk_rule(cohort)
    )
    assert cohort_summary(base).not_started == 2


def test_summary_counts_and_distribution(members, cohort):
    base = cohort_enrollments(
        cohort, required_count=required_lesson_count(cohort), rule=risk_rule(cohort)
    )
    summary = cohort_summary(base)
    assert summary.learners == 3
    assert summary.completed == 1
    assert summary.completion_rate == 33
    assert summary.average_percent == round((0 + 25 + 100) / 3)
    assert dict(summary.histogram) == {
        "0%": 1,
        "1–20%": 0,
        "21–40%": 1,
        "41–60%": 0,
        "61–80%": 0,
        "81–99%": 0,
        "100%": 1,
    }


def test_a_cohort_in_the_future_has_no_one_at_risk(members, cohort):
    cohort.starts_on = timezone.localdate() + timedelta(days=1)
    cohort.ends_on = timezone.localdate() + timedelta(days=10)
    cohort.save()
    assert LearnerState.AT_RISK not in {state for _p, state in _states(cohort).values()}

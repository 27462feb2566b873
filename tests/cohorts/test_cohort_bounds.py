"""Cohort dates: within this century, at most LENTERA_COHORT_MAX_DAYS long (form, service), and a
trainer's page whose cost does not grow with the cohort's length (legacy cohorts spanning
decades once took 33 s, centuries 2 GB)."""

import itertools
import time
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts import statistics
from cohorts.members import cohort_members_add
from cohorts.models import Cohort
from cohorts.services import cohort_create
from courses.models import LessonPage
from learners.progress import lesson_complete

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field", "message"),
    [
        (date(2000, 1, 1), date(2027, 12, 31), "ends_on", "A cohort lasts at most 1098 days"),
        (date(1, 1, 1), date(9999, 12, 31), "starts_on", "Choose a date from 2000 to 2099."),
        (date(2026, 1, 1), date(9999, 12, 31), "ends_on", "Choose a date from 2000 to 2099."),
    ],
)
def test_cohort_create_refuses_dates_too_far_apart(
    course_a, trainer, starts_on, ends_on, field, message
):
    with pytest.raises(ValidationError) as refused:
        cohort_create(
            course=course_a, name="Angkatan Abadi", starts_on=starts_on, ends_on=ends_on,
            created_by=trainer,
        )  # fmt: skip
    assert message in refused.value.message_dict[field][0]
    assert not Cohort.objects.filter(name="Angkatan Abadi").exists()


def test_the_longest_cohort_allowed_is_a_setting(course_a, trainer, settings):
    today = timezone.localdate()
    cohort = cohort_create(
        course=course_a,
        name="Tiga Tahun",
        starts_on=today,
        ends_on=today + timedelta(days=settings.LENTERA_COHORT_MAX_DAYS - 1),
        created_by=trainer,
    )
    assert cohort.pk
    settings.LENTERA_COHORT_MAX_DAYS = 30
    with pytest.raises(ValidationError, match="at most 30 days"):
        cohort_create(
            course=course_a, name="Dua Bulan", starts_on=today,
            ends_on=today + timedelta(days=59), created_by=trainer,
        )  # fmt: skip


def test_the_cohort_form_says_why_the_dates_are_refused(client_for, course_a, trainer):
    response = client_for(trainer).post(
        reverse("cohorts:create"),
        {
            "course": course_a.pk,
            "name": "Angkatan Abadi",
            "starts_on": "0001-01-01",
            "ends_on": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert "Choose a date from 2000 to 2099." in response.content.decode()
    assert not Cohort.objects.filter(name="Angkatan Abadi").exists()


def test_a_cohort_name_is_one_line(course_a, trainer):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        cohort_create(
            course=course_a, name="Angkatan\nBcc: x@example.com", starts_on=today,
            ends_on=today + timedelta(days=7), created_by=trainer,
        )  # fmt: skip
    assert "name" in refused.value.message_dict


def _stretched(cohort: Cohort, starts_on: date, ends_on: date) -> Cohort:
    # Stored before the dates were bounded: written past the model's validation.
    Cohort.objects.filter(pk=cohort.pk).update(starts_on=starts_on, ends_on=ends_on)
    cohort.refresh_from_db()
    return cohort


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(date(2000, 1, 1), date(2027, 12, 31)), (date(1, 1, 1), date(9999, 12, 31))],
)
def test_the_trainers_page_costs_the_same_for_a_cohort_spanning_decades(
    client_for, cohort, trainer, starts_on, ends_on
):
    client = client_for(trainer)
    url = reverse("cohorts:detail", args=[cohort.pk])
    # Both requests count the cohort's figures afresh (they are cached a few minutes).
    cache.clear()
    with CaptureQueriesContext(connection) as short:
        assert client.get(url).status_code == 200

    _stretched(cohort, starts_on, ends_on)
    points = statistics.completions_per_day(cohort)
    assert len(points) <= statistics.MAX_COMPLETIONS_WEEKS
    cache.clear()
    started = time.thread_time()
    with CaptureQueriesContext(connection) as long:
        response = client.get(url)
    assert response.status_code == 200
    assert time.thread_time() - started < 3  # CPU seconds: a runaway loop, not a busy machine
    assert len(long) == len(short)
    assert max(len(query["sql"]) for query in long) < 100_000


def test_completions_are_counted_per_week_once_a_cohort_is_long(cohort, learners, trainer):
    today = timezone.localdate()
    _stretched(cohort, today - timedelta(days=400), today + timedelta(days=10))
    cohort_members_add(cohort=cohort, users=learners[:1], added_by=trainer)
    lesson = LessonPage.objects.live().descendant_of(cohort.course).first()
    lesson_complete(user=learners[0], lesson=lesson)
    points = statistics.completions_per_day(cohort)
    assert len(points) <= statistics.MAX_COMPLETIONS_WEEKS
    # Weeks, each dated by its first day in the active language (as the chart groups them)
    assert all(statistics._week_start(day) == day for day, _count in points)
    days = [day for day, _count in points]
    assert {later - earlier for earlier, later in itertools.pairwise(days)} == {timedelta(weeks=1)}
    assert sum(count for _day, count in points) == 1
    assert points[-1][1] == 1  # this week

"""A cohort that starts on 29 February: a year-long run ends on 28 February, and the dashboard's
calendar arithmetic (elapsed share, risk rule, the request deadline) runs on that day."""

from datetime import date

import pytest

from cohorts.members import cohort_is_open_for_requests
from cohorts.selectors import elapsed_percent, risk_rule
from cohorts.services import cohort_create
from learners.certificate_services import add_months

pytestmark = pytest.mark.django_db

LEAP_DAY = date(2028, 2, 29)


@pytest.fixture
def leap_cohort(course_a, trainer):
    return cohort_create(
        course=course_a,
        name="Angkatan Kabisat",
        starts_on=LEAP_DAY,
        ends_on=add_months(LEAP_DAY, 12),
        enrollment_deadline=add_months(LEAP_DAY, 1),
        created_by=trainer,
    )


def test_a_year_from_29_february_ends_on_28_february(leap_cohort):
    leap_cohort.refresh_from_db()
    assert (leap_cohort.starts_on, leap_cohort.ends_on) == (LEAP_DAY, date(2029, 2, 28))
    assert leap_cohort.enrollment_deadline == date(2028, 3, 29)


def test_the_dashboard_arithmetic_runs_on_29_february(leap_cohort, settings):
    settings.LENTERA_AT_RISK_THRESHOLD = 20
    # 1 of 366 days has passed on the first day, all of them on the last.
    assert elapsed_percent(leap_cohort, LEAP_DAY) == 0
    assert elapsed_percent(leap_cohort, date(2029, 2, 28)) == 100
    assert elapsed_percent(leap_cohort, date(2028, 8, 29)) == 50
    assert risk_rule(leap_cohort, date(2028, 8, 29)).below == 30
    assert cohort_is_open_for_requests(leap_cohort, today=LEAP_DAY)
    assert cohort_is_open_for_requests(leap_cohort, today=date(2028, 3, 29))
    assert not cohort_is_open_for_requests(leap_cohort, today=date(2028, 3, 30))

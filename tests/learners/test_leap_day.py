"""29 February: every date computed from it exists.

A year after 29 February is 28 February (`add_months` clamps to the month's end), never the
ValueError of `date.replace(year=...)`. The services that read the calendar are run on that day
through their `today=` argument, and certificates are earned on it through `lesson_complete`.
"""

from datetime import date, datetime

import pytest
from django.utils import timezone

from core.daily import registry
from learners.certificate_services import add_months
from learners.factories import UserFactory, completed_enrollment
from learners.models import Enrollment
from learners.services import enrollments_expire

pytestmark = pytest.mark.django_db

LEAP_DAY = date(2024, 2, 29)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (LEAP_DAY, 12, date(2025, 2, 28)),
        (LEAP_DAY, 48, date(2028, 2, 29)),
        (LEAP_DAY, 1, date(2024, 3, 29)),
        (LEAP_DAY, -12, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, LEAP_DAY),
        (date(2023, 12, 31), 2, LEAP_DAY),
        (date(2023, 2, 28), 12, date(2024, 2, 28)),
    ],
)
def test_add_months_lands_on_a_day_that_exists(day, months, expected):
    assert add_months(day, months) == expected


def test_a_certificate_earned_on_29_february_lasts_until_28_february(course_a):
    course_a.certificate_valid_months = 12
    course_a.save()
    finished = timezone.make_aware(datetime(2024, 2, 29, 10, 0))
    enrollment = completed_enrollment(user=UserFactory(), course=course_a, completed_at=finished)

    certificate = enrollment.certificate
    assert certificate.completed_on == LEAP_DAY
    assert certificate.valid_until == date(2025, 2, 28)
    assert certificate.serial.startswith("LTR/2024/")

    # The daily expiry, run on the last valid day and on the day after.
    assert enrollments_expire(today=date(2025, 2, 28)) == 0
    assert enrollments_expire(today=date(2025, 3, 1)) == 1
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.EXPIRED


def test_certificates_expire_on_29_february_itself(course_a):
    """A certificate valid until 29 February is still valid that day, expired the next."""
    course_a.certificate_valid_months = 1
    course_a.save()
    finished = timezone.make_aware(datetime(2024, 1, 29, 10, 0))
    enrollment = completed_enrollment(user=UserFactory(), course=course_a, completed_at=finished)
    assert enrollment.certificate.valid_until == LEAP_DAY

    assert enrollments_expire(today=LEAP_DAY) == 0
    assert enrollments_expire(today=date(2024, 3, 1)) == 1


def test_the_daily_jobs_run_on_29_february(course_a):
    """What `lentera_daily` runs, for 29 February: no job fails on that date."""
    course_a.certificate_valid_months = 1
    course_a.save()
    finished = timezone.make_aware(datetime(2024, 1, 29, 10, 0))
    enrollment = completed_enrollment(user=UserFactory(), course=course_a, completed_at=finished)
    lines = []

    assert registry.run(today=LEAP_DAY, write=lines.append) == []
    assert "2024-02-29: 0 enrollment(s) now due for recertification." in lines
    assert registry.run(today=date(2024, 3, 1), write=lines.append) == []
    assert "2024-03-01: 1 enrollment(s) now due for recertification." in lines
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.EXPIRED

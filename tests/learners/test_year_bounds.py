"""One calendar year for JP everywhere: `learners.selectors.year_bounds` and `platform_date`,
in the platform's time zone (Asia/Jakarta), whatever time zone is active.

Each report is asked which year two completions around New Year count in: the JP ledger, the
per-year history, the ledger CSV, the agency compliance report and the programme evaluation.
"""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from compliance.reports import ComplianceFilters, organization_staff
from courses.factories import course_with_lessons, provider_page_of
from courses.models import CoursePage
from development.ledger import jp_history, jp_ledger
from evaluation.selectors import programme_evaluation
from learners.factories import UserFactory, completed_enrollment
from learners.selectors import platform_date, year_bounds

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
YEARS = (2025, 2026)
# 23:30 on 31 December in Jakarta is 16:30 UTC; 00:30 on 1 January is 17:30 UTC on 31 December.
LAST_EVENING = datetime(2025, 12, 31, 23, 30, tzinfo=JAKARTA)
FIRST_NIGHT = datetime(2026, 1, 1, 0, 30, tzinfo=JAKARTA)


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def test_the_helpers():
    start, end = year_bounds(2026)
    assert (start, end) == (
        datetime(2026, 1, 1, tzinfo=JAKARTA),
        datetime(2027, 1, 1, tzinfo=JAKARTA),
    )
    with timezone.override("UTC"):
        assert platform_date(FIRST_NIGHT).year == 2026
        assert platform_date(end - timedelta(microseconds=1)).year == 2026
        assert platform_date(end).year == 2027


@pytest.mark.parametrize("active_zone", ["Asia/Jakarta", "UTC"])
def test_every_report_counts_a_completion_in_the_same_year(provider_a, client_for, active_zone):
    learner = UserFactory(email="tahun@lpa.go.id", account_kind="pns", organization=provider_a)
    section = provider_page_of(provider_a)
    courses = {}
    for title, moment, jp in (("Tutup Tahun", LAST_EVENING, "2"), ("Buka Tahun", FIRST_NIGHT, "3")):
        courses[title] = course_with_lessons(provider_page=section, title=title, jp=Decimal(jp))
        completed_enrollment(user=learner, course=courses[title], completed_at=moment)
    expected = {"Tutup Tahun": 2025, "Buka Tahun": 2026}
    client = client_for(learner)

    # A request or a task that activated another time zone changes no year.
    with timezone.override(active_zone):
        ledger = {
            entry.title: year
            for year in YEARS
            for entry in jp_ledger(user=learner, year=year).entries
        }
        history = dict(jp_history(user=learner))
        rows = list(csv.reader(io.StringIO(body(client.get("/saya/jp.csv")))))[1:]
        ledger_csv = {title: int(year) for year, title, *_ in rows}
        compliance = {
            year: organization_staff(
                organization=provider_a, kind="pns", filters=ComplianceFilters(year=year)
            )
            .get(pk=learner.pk)
            .jp
            for year in YEARS
        }
        evaluation = {
            row.title: year
            for year in YEARS
            for row in programme_evaluation(
                courses=CoursePage.objects.filter(pk__in=[c.pk for c in courses.values()]),
                year=year,
            )
            if row.completions
        }

    assert ledger == expected
    assert history == {2026: Decimal("3"), 2025: Decimal("2")}
    assert ledger_csv == expected
    assert compliance == {2025: Decimal("2"), 2026: Decimal("3")}
    assert evaluation == expected

"""The JP ledger credits JP in the calendar year of completion, in Asia/Jakarta."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from courses.factories import course_with_lessons, provider_page_of
from development.ledger import jp_history, jp_ledger
from learners.factories import UserFactory, completed_enrollment
from learners.models import Enrollment
from tests.utils import csv_download

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")


def completed(user, title: str, at: datetime, jp: str, *, provider) -> Enrollment:
    """`user` finished a new course of `jp` JP at `at`, through the services."""
    course = course_with_lessons(
        provider_page=provider_page_of(provider), title=title, jp=Decimal(jp)
    )
    return completed_enrollment(user=user, course=course, completed_at=at)


def test_ledger_counts_the_year_of_completion_in_jakarta_time(provider_a):
    learner = UserFactory(email="tahun@instansi.go.id", account_kind="pns")
    # 23:30 UTC on 31 December is 06:30 on 1 January in Jakarta (UTC+7): it counts for 2026.
    evening = datetime(2025, 12, 31, 10, 0, tzinfo=UTC)
    night = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    completed(learner, "Akhir Tahun", evening, "3", provider=provider_a)
    completed(learner, "Tahun Baru", night, "2", provider=provider_a)

    ledger_2025 = jp_ledger(user=learner, year=2025)
    ledger_2026 = jp_ledger(user=learner, year=2026)
    assert ledger_2025.earned == Decimal("3")
    assert [entry.title for entry in ledger_2025.entries] == ["Akhir Tahun"]
    assert ledger_2026.earned == Decimal("2")
    assert ledger_2026.target == 20 and not ledger_2026.is_cap
    assert jp_history(user=learner) == [(2026, Decimal("2")), (2025, Decimal("3"))]


def test_pppk_sees_the_24_jp_cap(provider_a):
    learner = UserFactory(email="pppk@instansi.go.id", account_kind="pppk")
    ledger = jp_ledger(user=learner, year=2026)
    assert ledger.target == 24 and ledger.is_cap


def test_ledger_and_siasn_exports_are_csv_for_excel(provider_a, client_for):
    learner = UserFactory(email="unduh@instansi.go.id", account_kind="pns")
    at = datetime(2025, 6, 2, 3, 0, tzinfo=UTC)
    completed(learner, "Nguyễn Żółć", at, "2.5", provider=provider_a)
    client = client_for(learner)

    # csv_download checks the byte order mark that makes Excel read UTF-8.
    ledger = csv_download(client.get(reverse("development:jp_ledger_csv")))
    siasn = csv_download(client.get(reverse("development:siasn_export_csv")))

    assert len(ledger) == 2
    assert ledger[1][:3] == ["2025", "Nguyễn Żółć", "2.50"]
    assert siasn[0][:2] == ["nomorSertifikat", "namaKursus"]

"""A course finished offline counts when the learner finished it, not when the device synced.

A course completed on 31 December and synced on 1 January is a completion of the old year:
in the enrollment, on the certificate (its date and its serial's year), in the JP ledger, the
SIASN export and the agency's compliance report. Tested through the API's write path, with
Django's clock (`timezone.now`, which `localdate` and the services read) set by the test.
"""

import csv
import io
import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import LessonPage
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


class Clock:
    """Django's clock, set by the test."""

    def __init__(self, monkeypatch):
        self.moment = timezone.now()  # until the test sets it
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def set(self, *args: int) -> None:
        self.moment = datetime(*args, tzinfo=JAKARTA)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def test_a_course_finished_on_31_december_and_synced_on_1_january_counts_for_the_old_year(
    clock, provider_a, course_a
):
    clock.set(2025, 12, 31, 22, 0)
    learner = UserFactory(
        email="luring@lpa.go.id",
        full_name="Sari Luring",
        account_kind="pns",
        organization=provider_a,
    )
    admin = UserFactory(email="sdm.luring@lpa.go.id", admin_of=provider_a)
    api = Client()
    api.force_login(learner)
    assert api.post(f"/api/v1/courses/{course_a.pk}/enrollment").status_code == 201

    # Back online on New Year's morning: the device sends what it recorded last night, the
    # last lesson first (an offline queue need not keep the order).
    clock.set(2026, 1, 1, 8, 0)
    lessons = lessons_of(course_a)
    done_at = [datetime(2025, 12, 31, 23, 10 * n, tzinfo=JAKARTA) for n in range(len(lessons))]
    assert done_at[-1] == datetime(2025, 12, 31, 23, 30, tzinfo=JAKARTA)
    body = {}
    for lesson, moment in reversed(list(zip(lessons, done_at, strict=True))):
        response = api.post(
            f"/api/v1/lessons/{lesson.pk}/completion",
            {"event_id": str(uuid.uuid4()), "completed_at": moment.isoformat()},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
    assert body["course_completed"] and body["course_progress_percent"] == 100

    # The enrollment completed when its last required lesson was done, in the learner's time.
    enrollment = Enrollment.objects.get(user=learner, course=course_a)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_at == done_at[-1]
    assert timezone.localtime(enrollment.completed_at).year == 2025

    # The certificate is dated (and numbered) in the year the course was finished.
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.completed_on == date(2025, 12, 31)
    assert timezone.localtime(certificate.issued_at).date() == date(2025, 12, 31)
    assert certificate.serial == f"LTR/2025/{certificate.pk:06d}"

    # The JP ledger counts it in 2025, and not in 2026.
    ledger_2025 = api.get("/api/v1/me/jp", {"year": 2025}).json()
    assert Decimal(ledger_2025["earned"]) == Decimal("2")
    assert [entry["certificate_serial"] for entry in ledger_2025["entries"]] == [certificate.serial]
    ledger_2026 = api.get("/api/v1/me/jp", {"year": 2026}).json()
    assert Decimal(ledger_2026["earned"]) == 0 and ledger_2026["entries"] == []
    assert api.get("/api/v1/me/jp").json()["year"] == 2026

    # The SIASN export records a 2025 course.
    export = api.get("/saya/siasn.csv")
    assert export.status_code == 200
    [row] = list(
        csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")))
    )
    assert row["tahunKursus"] == "2025"
    assert row["tanggalSelesai"] == "2025-12-31"
    assert row["nomorSertifikat"] == certificate.serial

    # The agency's compliance report credits the JP in 2025, not in 2026.
    admin_api = Client()
    admin_api.force_login(admin)
    url = f"/api/v1/organizations/{provider_a.pk}/compliance"

    def learner_jp(year: int) -> Decimal:
        report = admin_api.get(url, {"year": year}).json()
        [row] = [row for row in report["below_target"]["results"] if row["user_id"] == learner.pk]
        return Decimal(row["jp"])

    assert learner_jp(2025) == Decimal("2")
    assert learner_jp(2026) == 0


def test_the_completion_time_is_validated_against_the_enrollment_and_the_clock(
    clock, provider_a, course_a
):
    clock.set(2025, 12, 31, 22, 0)
    learner = UserFactory(email="jam@lpa.go.id")
    api = Client()
    api.force_login(learner)
    api.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    clock.set(2026, 1, 1, 8, 0)
    lesson = lessons_of(course_a)[0]

    def complete(moment: datetime):
        return api.post(
            f"/api/v1/lessons/{lesson.pk}/completion",
            {"completed_at": moment.isoformat()},
            content_type="application/json",
        )

    before = complete(datetime(2025, 12, 31, 21, 59, tzinfo=JAKARTA))
    assert before.status_code == 400
    assert before.json()["code"] == "completed_at_before_enrollment"
    future = complete(datetime(2026, 1, 1, 8, 6, tzinfo=JAKARTA))
    assert future.status_code == 400
    assert future.json()["code"] == "completed_at_future"
    assert complete(datetime(2025, 12, 31, 23, 0, tzinfo=JAKARTA)).status_code == 201

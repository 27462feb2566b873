"""Which JP count: one rule (`jp_counting_enrollments`) behind every JP figure, and the target
each kind of account is measured against."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.reports import ComplianceFilters, compliance_report, pns_below_target
from core.exports import csv_cell_text
from courses.factories import course_with_lessons, provider_page_of
from development.ledger import jp_history, jp_ledger
from learners.certificate_services import certificate_issue, certificate_revoke
from learners.factories import UserFactory, completed_enrollment
from learners.models import Enrollment, User
from learners.selectors import jp_counting_enrollments
from tests.utils import count_queries, csv_download

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> int:
    """This year, read when the test runs: a module constant would keep the year the test
    process started in, and courses completed now would count in another one."""
    return timezone.localdate().year


def completed_with_certificate(user, course):
    """`user` completes `course` now, through the services; its certificate is issued."""
    return completed_enrollment(user=user, course=course).certificate


@pytest.fixture
def rina(provider_a):
    """A PNS with 12 JP from a valid certificate and 10 JP from a revoked one this year: 22 JP
    (compliant) if the revoked one counted, 12 JP (below the 20 JP target) as it must be."""
    section = provider_page_of(provider_a)
    kept = course_with_lessons(provider_page=section, title="Pelayanan Prima", jp=Decimal(12))
    withdrawn = course_with_lessons(provider_page=section, title="Kursus Dicabut", jp=Decimal(10))
    learner = UserFactory(
        email="rina@instansi.go.id",
        full_name="Rina",
        account_kind="pns",
        organization=provider_a,
    )
    valid = completed_with_certificate(learner, kept)
    revoked = completed_with_certificate(learner, withdrawn)
    admin = UserFactory(email="sdm@lpa.go.id", admin_of=provider_a)
    certificate_revoke(certificate=revoked, revoked_by=admin, reason="Plagiarisme tugas akhir.")
    return {"learner": learner, "admin": admin, "valid": valid, "revoked": revoked}


def test_a_revoked_certificate_takes_its_enrollment_out_of_the_counting_rule(rina):
    counting = jp_counting_enrollments().filter(user=rina["learner"])
    assert list(counting) == [rina["valid"].enrollment]


def test_a_completion_without_certificate_still_counts(provider_a, year):
    course = course_with_lessons(
        provider_page=provider_page_of(provider_a),
        title="Tanpa Sertifikat",
        jp=Decimal(3),
        certificate_enabled=False,
    )
    learner = UserFactory(email="tanpa@instansi.go.id", account_kind="pns")
    enrollment = completed_enrollment(user=learner, course=course)
    assert not hasattr(enrollment, "certificate")
    assert jp_ledger(user=learner, year=year).earned == Decimal(3)


def test_ledger_and_history_leave_out_the_revoked_certificate(rina, year):
    ledger = jp_ledger(user=rina["learner"], year=year)
    assert ledger.earned == Decimal(12)
    assert [entry.title for entry in ledger.entries] == ["Pelayanan Prima"]
    assert jp_history(user=rina["learner"]) == [(year, Decimal(12))]


def test_ledger_page_leaves_out_the_revoked_certificate(rina, client_for):
    response = client_for(rina["learner"]).get("/en/saya/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 of 20 JP" in html
    assert "8 JP to go" in html
    assert rina["revoked"].serial not in html.split('id="active-title"')[0]


def test_jp_csv_leaves_out_the_revoked_certificate(rina, client_for):
    rows = csv_download(client_for(rina["learner"]).get(reverse("development:jp_ledger_csv")))
    assert [row[1:3] for row in rows[1:]] == [["Pelayanan Prima", "12.00"]]


def test_me_jp_api_leaves_out_the_revoked_certificate(rina, client_for, year):
    response = client_for(rina["learner"]).get("/api/v1/me/jp", {"year": year})
    assert response.status_code == 200
    body = response.json()
    assert Decimal(body["earned"]) == Decimal(12)
    assert [entry["certificate_serial"] for entry in body["entries"]] == [rina["valid"].serial]
    assert body["target"] == 20 and body["is_cap"] is False


def test_siasn_export_leaves_out_the_revoked_certificate(rina, client_for):
    rows = csv_download(client_for(rina["learner"]).get(reverse("development:siasn_export_csv")))
    assert [row[0] for row in rows[1:]] == [rina["valid"].serial]


def test_compliance_report_leaves_out_the_revoked_certificate(rina, provider_a, year):
    filters = ComplianceFilters(year=year)
    report = compliance_report(organization=provider_a, filters=filters)
    assert (report.staff, report.compliant) == (1, 0)
    [row] = pns_below_target(organization=provider_a, filters=filters)
    assert (row["full_name"], Decimal(row["jp"])) == ("Rina", Decimal(12))


def test_compliance_page_csv_and_api_leave_out_the_revoked_certificate(
    rina, provider_a, client_for, year
):
    client = client_for(rina["admin"])
    page = client.get(f"/en/kepatuhan/{provider_a.pk}/", {"tahun": year})
    assert page.status_code == 200
    assert page.context["report"].compliant == 0
    assert [row["full_name"] for row in page.context["page_obj"]] == ["Rina"]

    rows = csv_download(
        client.get(f"/en/kepatuhan/{provider_a.pk}/unduh.csv", {"tahun": year}), as_shown=False
    )
    [rina_row] = [[csv_cell_text(cell) for cell in row] for row in rows if "Rina" in row]
    assert rina_row[5:] == ["12.00", "20", "No"]

    api = client.get(f"/api/v1/organizations/{provider_a.pk}/compliance", {"year": year}).json()
    assert api["pns"]["compliant"] == 0
    assert Decimal(api["below_target"]["results"][0]["jp"]) == Decimal(12)


# The target each kind of account is measured against


def test_pns_sees_the_20_jp_target_and_pppk_the_cap(provider_a, year):
    pns = UserFactory(email="pns@instansi.go.id", account_kind="pns")
    pppk = UserFactory(email="pppk@instansi.go.id", account_kind="pppk")
    assert (jp_ledger(user=pns, year=year).target, jp_ledger(user=pns, year=year).is_cap) == (
        20,
        False,
    )
    assert (jp_ledger(user=pppk, year=year).target, jp_ledger(user=pppk, year=year).is_cap) == (
        24,
        True,
    )


def test_non_asn_has_no_jp_target(provider_a, client_for, year):
    mitra = UserFactory(email="mitra@mitra.or.id", account_kind="non_asn")
    course = course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Untuk Mitra", jp=Decimal(3)
    )
    completed_enrollment(user=mitra, course=course)
    ledger = jp_ledger(user=mitra, year=year)
    assert (ledger.target, ledger.percent, ledger.remaining) == (None, None, None)
    assert ledger.earned == Decimal(3)

    client = client_for(mitra)
    html = client.get("/en/saya/").content.decode()
    assert "3 JP earned this year" in html
    assert "of 20 JP" not in html and "to go to reach" not in html
    assert 'id="jp-progress"' not in html

    body = client.get("/api/v1/me/jp", {"year": year}).json()
    assert body["target"] is None and Decimal(body["earned"]) == Decimal(3)


def _staff_with_certificates(organization, course, count: int, prefix: str):
    """`count` PNS of `organization`, each with a certificate this year, every third revoked;
    and an admin signed in to see them.

    People and their completed enrollments are written in bulk (as a finished course leaves
    them: completed now, its JP credited); the certificates are issued and revoked by the
    services, so each carries the serial and the fields the service gives it.
    """
    User.objects.bulk_create(
        User(
            email=f"{prefix}{n}@instansi.go.id",
            full_name=f"{prefix.title()} {n:03d}",
            account_kind="pns",
            organization=organization,
            membership_status="confirmed",
        )
        for n in range(count)
    )
    people = list(User.objects.filter(email__startswith=prefix).order_by("email"))
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            user=user,
            course=course,
            status=Enrollment.Status.COMPLETED,
            started_at=now - timedelta(days=1),
            completed_at=now,
            ended_at=now,
            jp_credited=course.jp,
        )
        for user in people
    )
    admin = UserFactory(email=f"sdm.{prefix}@instansi.go.id", admin_of=organization)
    for n, enrollment in enumerate(enrollments):
        certificate = certificate_issue(enrollment=enrollment, course=course)
        if n % 3 == 0:
            certificate_revoke(certificate=certificate, revoked_by=admin, reason="Dicabut.")
    client = Client()
    client.force_login(admin)
    return client


def test_compliance_queries_do_not_grow_with_staff_or_revoked_certificates(
    provider_a, provider_b, year
):
    course = course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Pelatihan 21 JP", jp=Decimal(21)
    )
    few = _staff_with_certificates(provider_a, course, 3, "sedikit")
    many = _staff_with_certificates(provider_b, course, 60, "banyak")
    assert count_queries(few, f"/kepatuhan/{provider_a.pk}/") == count_queries(
        many, f"/kepatuhan/{provider_b.pk}/"
    )

    def csv_queries(client, organization) -> int:
        # The export streams: its rows are read while the body is, so read it all.
        url = f"/kepatuhan/{organization.pk}/unduh.csv"
        b"".join(client.get(url).streaming_content)
        with CaptureQueriesContext(connection) as queries:
            rows = csv_download(client.get(url))
        assert len(rows) > 1
        return len(queries)

    assert csv_queries(few, provider_a) == csv_queries(many, provider_b)
    api = "/api/v1/organizations/{}/compliance"
    assert count_queries(few, api.format(provider_a.pk)) == count_queries(
        many, api.format(provider_b.pk)
    )
    # Every third certificate revoked: 20 of the 60 fall to 0 JP, below the target.
    report = compliance_report(organization=provider_b, filters=ComplianceFilters(year=year))
    assert (report.staff, report.compliant) == (60, 40)

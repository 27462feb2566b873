"""HR's organization-wide SIASN export: verified records and certified courses of the year, in
the learner's SIASN columns after the NIP and name; filters validated in Indonesian; HR of the
organization only; constant queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from content.factories import OrganizationFactory
from development.factories import form_of
from development.siasn import SIASN_HEADER
from learners.factories import UserFactory, WorkUnitFactory, completed_enrollment
from tests.compliance.conftest import record
from tests.utils import csv_download

pytestmark = pytest.mark.django_db


def csv_url(organization, **query) -> str:
    address = reverse("compliance:siasn_csv", args=[organization.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def exported(dewi, agency_b, hr_b, course_a):
    """Dewi: a verified workshop, a waiting seminar, a completed course with its certificate;
    Eko (Subbagian TU): a verified self-study; a colleague of another organization."""
    organization = agency_b["organization"]
    workshop = record(dewi, jp="8", verifier=hr_b, title="Lokakarya Anggaran")
    record(dewi, jp="5", title="Seminar Menunggu")
    course = completed_enrollment(user=dewi, course=course_a)
    eko = UserFactory(
        full_name="Eko Prasetyo",
        nip="199202022016041002",
        organization=organization,
        work_unit=agency_b["sub"],
        account_kind="pppk",
    )
    record(eko, jp="4", verifier=hr_b, form=form_of("belajar-mandiri"), title="Baca Buku")
    stranger = UserFactory(full_name="Orang Lain", organization=OrganizationFactory())
    record(stranger, jp="4", verifier=UserFactory(admin_of=stranger.organization), title="Asing")
    return {"workshop": workshop, "course": course, "eko": eko}


def test_csv_has_verified_records_and_certified_courses_with_the_jenis_mapping(
    exported, dewi, hr_b, client_for
):
    rows = csv_download(client_for(hr_b).get(csv_url(dewi.organization)))
    header = rows[0]
    assert header == ["nipBaru", "nama", *SIASN_HEADER]
    body = {row[3]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    certificate = exported["course"].certificate
    assert set(body) == {"Lokakarya Anggaran", certificate.course_title, "Baca Buku"}
    workshop = body["Lokakarya Anggaran"]
    form = form_of("workshop")
    assert (workshop["nipBaru"], workshop["nama"]) == ("199001012015032001", "Dewi Lestari")
    assert (workshop["jenisDiklatId"], workshop["jenisDiklat"]) == (
        str(form.siasn_jenis_diklat_id),
        form.siasn_jenis_diklat_name,
    )
    assert workshop["jumlahJam"] == "8.00"
    assert body[certificate.course_title]["nomorSertifikat"] == certificate.serial
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.detail["report"], event.detail["format"]) == (
        hr_b,
        "siasn_riwayat_diklat",
        "csv",
    )


def test_the_unit_filter_is_that_unit_exactly(exported, agency_b, dewi, hr_b, client_for):
    client = client_for(hr_b)
    umum = csv_download(client.get(csv_url(dewi.organization, unit=agency_b["umum"].pk)))
    sub = csv_download(client.get(csv_url(dewi.organization, unit=agency_b["sub"].pk)))
    assert {row[1] for row in umum[1:]} == {"Dewi Lestari"}
    assert {row[1] for row in sub[1:]} == {"Eko Prasetyo"}


def test_another_year_has_other_rows(exported, dewi, hr_b, client_for):
    last_year = timezone.localdate().year - 1
    old = record(dewi, jp="3", verifier=hr_b, days_ago=400, title="Lokakarya Lama")
    rows = csv_download(client_for(hr_b).get(csv_url(dewi.organization, tahun=last_year)))
    titles = {row[3] for row in rows[1:]}
    assert (old.end_date.year == last_year) == ("Lokakarya Lama" in titles)
    assert "Lokakarya Anggaran" not in titles or exported["workshop"].end_date.year == last_year


def test_xlsx_has_the_same_rows(exported, dewi, hr_b, client_for):
    response = client_for(hr_b).get(reverse("compliance:siasn_xlsx", args=[dewi.organization_id]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["nipBaru", "nama", *SIASN_HEADER]
    assert len(rows) == 4


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"tahun": "1999"}, "Pilih tahun"),
        ({"tahun": str(timezone.localdate().year + 1)}, "Pilih tahun"),
        ({"tahun": "dua ribu"}, "angka"),
    ],
)
def test_a_year_out_of_range_is_refused_in_indonesian(dewi, hr_b, client_for, query, message):
    response = client_for(hr_b).get(csv_url(dewi.organization, **query))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_unit_of_another_organization_is_refused(dewi, hr_b, client_for):
    foreign = WorkUnitFactory(organization=OrganizationFactory(name="Badan Asing"))
    response = client_for(hr_b).get(csv_url(dewi.organization, unit=foreign.pk))
    assert response.status_code == 400
    assert "bukan" in response.content.decode()


def test_the_page_offers_the_files_for_valid_filters(dewi, hr_b, client_for):
    response = client_for(hr_b).get(reverse("compliance:siasn", args=[dewi.organization_id]))
    assert response.status_code == 200
    assert reverse("compliance:siasn_csv", args=[dewi.organization_id]) in response.content.decode()


def test_only_the_organizations_hr_may_export(exported, dewi, boss, hr_other, client_for):
    for user in (dewi, boss, hr_other):
        for name in ("compliance:siasn", "compliance:siasn_csv", "compliance:siasn_xlsx"):
            address = reverse(name, args=[dewi.organization_id])
            assert client_for(user).get(address).status_code == 404


def test_queries_do_not_grow_with_rows(exported, dewi, agency_b, hr_b, client_for, course_b):
    client = client_for(hr_b)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(csv_url(dewi.organization))
            b"".join(response.streaming_content)
        return len(captured)

    before = queries()
    for index in range(6):
        person = UserFactory(organization=agency_b["organization"], account_kind="pns")
        record(person, jp="2", verifier=hr_b, days_ago=3 + index)
        completed_enrollment(user=person, course=course_b)
    assert queries() == before

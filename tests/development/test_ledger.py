"""Verified development records count in every JP figure, by one rule: the JP credited on
verification (the form's yearly cap applied then, given back on revocation), in the year of the
activity's end date. Courses stay entries of their own kind in the same ledger."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from compliance.reports import ComplianceFilters, compliance_report, pns_below_target
from development import services
from development.factories import DevelopmentRecordFactory, FormRuleFactory, form_of
from development.ledger import (
    COURSE,
    counted_entries,
    jp_history,
    jp_ledger,
    verified_jp_in_year,
)
from development.models import DevelopmentRecord
from learners.factories import UserFactory, completed_enrollment
from tests.utils import count_queries, csv_download

Status = DevelopmentRecord.Status


@pytest.fixture
def year() -> int:
    return timezone.localdate().year


def on(day: date, **values) -> DevelopmentRecord:
    """A submitted record of one day."""
    return DevelopmentRecordFactory(start_date=day, end_date=day, **values)


def verified(owner, hr, *, jp: str, form="workshop", day: date | None = None, **values):
    """A record verified through the service, as HR does it."""
    day = day or timezone.localdate() - timedelta(days=3)
    record = on(day, owner=owner, form=form_of(form), jp=Decimal(jp), **values)
    return services.record_verify(record=record, verifier=hr)


def credited(*records) -> list[Decimal]:
    return [
        DevelopmentRecord.objects.get(pk=record.pk).jp_credited.quantize(Decimal("0.01"))
        for record in records
    ]


# Credit on verification: caps, revocation, rules, the year


def test_verification_credits_within_the_forms_yearly_cap(owner, hr, year):
    # Self-study: at most 10 JP a year (national default).
    records = [verified(owner, hr, jp="6", form="belajar-mandiri") for _n in range(3)]
    workshop = verified(owner, hr, jp="8")
    assert credited(*records, workshop) == [Decimal("6.00"), Decimal("4.00"), Decimal("0.00")] + [
        Decimal("8.00")
    ]
    assert verified_jp_in_year(owner, year) == Decimal("18.00")


def test_only_verified_records_count(owner, hr, supervisor, year):
    day = timezone.localdate() - timedelta(days=3)
    on(day, owner=owner, jp=Decimal("5"))  # waiting
    returned = on(day, owner=owner, jp=Decimal("5"))
    services.record_request_changes(record=returned, verifier=hr, note="Lengkapi laporan.")
    rejected = on(day, owner=owner, jp=Decimal("5"))
    services.record_reject(record=rejected, verifier=hr, note="Bukan kegiatan pengembangan.")
    revoked = verified(owner, hr, jp="5")
    services.record_revoke(record=revoked, verifier=supervisor, reason="Sertifikat palsu.")
    verified(owner, hr, jp="3")
    assert credited(returned, rejected, revoked) == [Decimal("0.00")] * 3
    assert verified_jp_in_year(owner, year) == Decimal("3.00")
    assert jp_ledger(user=owner, year=year).earned == Decimal("3.00")


def test_revoking_gives_the_cap_back_to_the_records_verified_after(owner, hr, supervisor):
    first, second, third = (verified(owner, hr, jp="6", form="belajar-mandiri") for _n in "abc")
    assert credited(first, second, third) == [Decimal(6), Decimal(4), Decimal(0)]

    services.record_revoke(record=first, verifier=supervisor, reason="Dicatat dua kali.")
    assert credited(first, second, third) == [Decimal(0), Decimal(6), Decimal(4)]

    # Revoking the last verified takes nothing from those before it.
    services.record_revoke(record=third, verifier=supervisor, reason="Tidak ada bukti.")
    assert credited(second, third) == [Decimal(6), Decimal(0)]


def test_the_cap_is_per_person_form_and_year(owner, hr, other_learner, year):
    last_year = date(year - 1, 12, 31)
    new_year = date(year, 1, 1)
    old = verified(owner, hr, jp="8", form="belajar-mandiri", day=last_year)
    if new_year <= timezone.localdate():
        new = verified(owner, hr, jp="8", form="belajar-mandiri", day=new_year)
        assert credited(new) == [Decimal(8)]
    other = verified(other_learner, hr, jp="8", form="belajar-mandiri", day=last_year)
    community = verified(owner, hr, jp="8", form="komunitas-belajar", day=last_year)
    assert credited(old, other, community) == [Decimal(8)] * 3
    assert verified_jp_in_year(owner, year - 1) == Decimal("16.00")


def test_a_rule_changed_by_hr_applies_to_verifications_from_then_on(owner, hr):
    rule = FormRuleFactory(
        form=form_of("workshop"), organization=owner.organization, max_jp_per_year=Decimal("5")
    )
    first = verified(owner, hr, jp="12")
    assert credited(first) == [Decimal(5)]
    rule.max_jp_per_year = Decimal("20")
    rule.save()
    second = verified(owner, hr, jp="12")
    assert credited(first, second) == [Decimal(5), Decimal(12)]


def test_verified_jp_in_year_is_one_query(owner, hr, year):
    for code in ["workshop", "seminar", "coaching", "belajar-mandiri"] * 3:
        verified(owner, hr, jp="2", form=code)
    with CaptureQueriesContext(connection) as queries:
        assert verified_jp_in_year(owner, year) == Decimal("24.00")
    assert len(queries) == 1


# The ledger reads one list


@pytest.fixture
def pns(owner):
    owner.account_kind = "pns"
    owner.save(update_fields=["account_kind"])
    return owner


@pytest.fixture
def mixed(pns, hr, course_a):
    """A PNS with a completed course, a verified record, a capped one, and one waiting."""
    enrollment = completed_enrollment(user=pns, course=course_a)
    day = timezone.localdate() - timedelta(days=3)
    return {
        "course": enrollment,
        "workshop": verified(pns, hr, jp="8", title="Lokakarya Kebijakan", day=day),
        "self_study": verified(pns, hr, jp="12", form="belajar-mandiri", title="Baca Buku"),
        "waiting": on(day, owner=pns, jp=Decimal("7"), title="Seminar Menunggu"),
    }


def test_the_ledger_lists_courses_and_records_and_counts_the_verified(mixed, pns, year):
    course_jp = mixed["course"].jp_credited
    own = jp_ledger(user=pns, year=year, with_uncounted=True)
    by_title = {entry.title: entry for entry in own.entries}
    assert own.earned == course_jp + Decimal("8") + Decimal("10")
    course = by_title[mixed["course"].course.title]
    assert (course.kind, course.mode, course.counted) == (COURSE, "nonklasikal", True)
    assert course.certificate == mixed["course"].certificate
    workshop = by_title["Lokakarya Kebijakan"]
    assert (workshop.kind, workshop.mode, workshop.jp, workshop.counted) == (
        "workshop",
        "klasikal",
        Decimal("8"),
        True,
    )
    assert workshop.evidence_url == "https://contoh.go.id/sertifikat.pdf"
    capped = by_title["Baca Buku"]
    assert (capped.jp, capped.jp_claimed) == (Decimal("10"), Decimal("12"))
    waiting = by_title["Seminar Menunggu"]
    assert (waiting.counted, waiting.status) == (False, Status.SUBMITTED)

    counted_only = jp_ledger(user=pns, year=year)
    assert counted_only.earned == own.earned
    assert "Seminar Menunggu" not in [entry.title for entry in counted_only.entries]
    assert jp_history(user=pns) == [(year, own.earned)]


def test_a_record_counts_in_the_year_of_its_end_date(pns, hr, year):
    record = verified(pns, hr, jp="4", day=date(year - 1, 12, 31))
    assert jp_ledger(user=pns, year=year - 1).earned == Decimal(4)
    assert jp_ledger(user=pns, year=year).earned == Decimal(0)
    assert jp_history(user=pns) == [(year - 1, Decimal(4))]
    assert [entry.record for entry in counted_entries(pns)] == [record]


def test_my_learning_shows_every_entry_and_marks_what_does_not_count(mixed, pns, client_for):
    html = client_for(pns).get("/en/saya/").content.decode()
    earned = mixed["course"].jp_credited + Decimal("18")
    assert f"{earned.normalize():f} of 20 JP" in html
    assert "Lokakarya Kebijakan" in html and "Baca Buku" in html
    assert "Seminar Menunggu" in html and "not counted" in html
    assert "of 12: yearly cap of the form" in html
    assert reverse("development:jp_ledger_csv") in html


def test_jp_csv_has_the_counted_entries_only(mixed, pns, client_for, year):
    rows = csv_download(client_for(pns).get(reverse("development:jp_ledger_csv")))
    assert rows[0][:3] == ["Tahun", "Judul", "JP"]  # the interface is Indonesian by default
    body = {row[1]: row for row in rows[1:]}
    assert set(body) == {mixed["course"].course.title, "Lokakarya Kebijakan", "Baca Buku"}
    assert body["Baca Buku"][2] == "10.00"
    assert body["Lokakarya Kebijakan"][5:7] == [form_of("workshop").name, "klasikal"]
    assert body[mixed["course"].course.title][4] == mixed["course"].certificate.serial


def test_siasn_export_has_verified_records_with_their_jenis_diklat(mixed, pns, client_for):
    rows = csv_download(client_for(pns).get(reverse("development:siasn_export_csv")))
    header = rows[0]
    assert header[-2:] == ["jenisDiklatId", "jenisDiklat"]
    body = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert "Seminar Menunggu" not in body
    workshop = body["Lokakarya Kebijakan"]
    form = form_of("workshop")
    assert (workshop["jenisDiklatId"], workshop["jenisDiklat"]) == (
        str(form.siasn_jenis_diklat_id),
        form.siasn_jenis_diklat_name,
    )
    assert workshop["jumlahJam"] == "8.00"
    assert body["Baca Buku"]["jumlahJam"] == "10.00"
    course = body[mixed["course"].certificate.course_title]
    assert course["nomorSertifikat"] == mixed["course"].certificate.serial
    assert course["jenisDiklatId"] == ""


def test_me_jp_api_counts_verified_records(mixed, pns, client_for, year):
    body = client_for(pns).get("/api/v1/me/jp", {"year": year}).json()
    assert Decimal(body["earned"]) == mixed["course"].jp_credited + Decimal("18")
    kinds = sorted((entry["kind"], entry["status"]) for entry in body["entries"])
    assert kinds == [
        ("belajar-mandiri", "verified"),
        (COURSE, "verified"),
        ("workshop", "verified"),
    ]


def _requests(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/saya/", "/saya/jp.csv", "/saya/siasn.csv", "/api/v1/me/jp"])
def test_ledger_queries_do_not_grow_with_records(url, organization, hr, client_for):
    few = UserFactory(email="sedikit@ku.go.id", organization=organization, account_kind="pns")
    many = UserFactory(email="banyak@ku.go.id", organization=organization, account_kind="pns")
    verified(few, hr, jp="2")
    on(timezone.localdate() - timedelta(days=2), owner=few)
    for code in ["workshop", "seminar", "coaching", "belajar-mandiri"] * 6:
        verified(many, hr, jp="1", form=code)
        on(timezone.localdate() - timedelta(days=2), owner=many, form=form_of(code))
    clients = [client_for(few), client_for(many)]
    for client in clients:
        client.get(url)  # warm what a live site keeps warm
    assert _requests(clients[0], url) == _requests(clients[1], url)
    if url == "/saya/":
        assert count_queries(clients[0], url) == count_queries(clients[1], url)


# The agency compliance report


@pytest.fixture
def agency(organization, hr, supervisor):
    def staff(name: str, kind: str = "pns"):
        return UserFactory(
            email=f"{name}@ku.go.id",
            full_name=name.title(),
            organization=organization,
            account_kind=kind,
            supervised_by=supervisor,
        )

    verified_only = staff("verified")
    for _n in range(2):
        verified(verified_only, hr, jp="10")
    pending_only = staff("pending")
    on(timezone.localdate() - timedelta(days=2), owner=pending_only, jp=Decimal("20"))
    pppk = staff("kontrak", kind="pppk")
    verified(pppk, hr, jp="12")
    verified(pppk, hr, jp="12")
    return {"verified": verified_only, "pending": pending_only, "pppk": pppk}


def test_compliance_counts_verified_records_only(agency, organization, year):
    filters = ComplianceFilters(year=year)
    report = compliance_report(organization=organization, filters=filters)
    assert (report.staff, report.compliant) == (2, 1)
    assert (report.pppk_staff, report.pppk_at_cap) == (1, 1)
    assert report.pppk_jp_total == Decimal("24.00")
    below = pns_below_target(organization=organization, filters=filters)
    assert {row["full_name"]: Decimal(row["jp"]) for row in below} == {"Pending": Decimal(0)}
    # This year's records leave last year's figures alone.
    last_year = compliance_report(organization=organization, filters=ComplianceFilters(year - 1))
    assert (last_year.compliant, last_year.pppk_jp_total) == (0, Decimal(0))


def test_compliance_exports_and_api_count_verified_records(
    agency, organization, hr, client_for, year
):
    client = client_for(hr)
    rows = csv_download(client.get(f"/en/kepatuhan/{organization.pk}/unduh.csv", {"tahun": year}))
    jp_by_name = {row[1]: row[5] for row in rows[1:]}
    assert jp_by_name == {"Pending": "0.00", "Verified": "20.00", "Kontrak": "24.00"}
    response = client.get(f"/en/kepatuhan/{organization.pk}/unduh.xlsx", {"tahun": year})
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    pns = {row[0]: row[4] for row in list(workbook["PNS"].iter_rows(values_only=True))[1:]}
    assert pns == {"Pending": 0, "Verified": 20}
    api = client.get(f"/api/v1/organizations/{organization.pk}/compliance", {"year": year}).json()
    assert (api["pns"]["staff"], api["pns"]["compliant"]) == (2, 1)
    assert Decimal(api["pppk"]["jp_total"]) == Decimal(24)
    assert [(row["name"], Decimal(row["jp"])) for row in api["below_target"]["results"]] == [
        ("Pending", Decimal(0))
    ]


def test_compliance_queries_do_not_grow_with_records(organization, hr, client_for, year):
    def queries() -> list[int]:
        client = client_for(hr)
        # The organization's figures are cached until its staff's JP change (compliance.cache):
        # compare the warm page, as the first view after a change recounts them.
        client.get(f"/kepatuhan/{organization.pk}/")
        return [
            _requests(client, f"/kepatuhan/{organization.pk}/{suffix}")
            for suffix in ("", "unduh.csv", "unduh.xlsx")
        ] + [_requests(client, f"/api/v1/organizations/{organization.pk}/compliance")]

    first = UserFactory(email="satu@ku.go.id", organization=organization, account_kind="pns")
    verified(first, hr, jp="2")
    client_for(hr).get(f"/kepatuhan/{organization.pk}/")  # warm
    few = queries()
    for n in range(12):
        person = UserFactory(email=f"p{n}@ku.go.id", organization=organization, account_kind="pns")
        for code in ["workshop", "seminar", "belajar-mandiri"]:
            verified(person, hr, jp="3", form=code)
    assert queries() == few


def test_the_record_page_says_when_the_yearly_cap_credited_less(owner, hr, client_for):
    verified(owner, hr, jp="8", form="belajar-mandiri")
    capped = verified(owner, hr, jp="6", form="belajar-mandiri")
    html = client_for(owner).get(f"/en/saya/pengembangan/{capped.pk}/").content.decode()
    assert "2 JP credited: the form's yearly cap was reached" in html
    listing = client_for(owner).get("/en/saya/pengembangan/").content.decode()
    assert "10 JP verified in" in listing


def test_the_rule_page_says_a_change_applies_from_now_on(hr, organization, client_for):
    url = reverse("development:rule_edit", args=[organization.pk, form_of("seminar").pk])
    html = client_for(hr).get(url).content.decode()
    assert "Perubahan berlaku untuk catatan yang diverifikasi mulai sekarang" in html


def test_the_ledger_files_hold_only_the_signed_in_persons_records(
    mixed, other_learner, hr, client_for
):
    verified(other_learner, hr, jp="5", title="Catatan Orang Lain")
    client = client_for(other_learner)
    for name in ("development:jp_ledger_csv", "development:siasn_export_csv"):
        titles = [row[1] for row in csv_download(client.get(reverse(name)))[1:]]
        assert titles == ["Catatan Orang Lain"]
    body = client.get("/api/v1/me/jp").json()
    assert [entry["title"] for entry in body["entries"]] == ["Catatan Orang Lain"]


def test_the_migration_credits_records_verified_before_jp_credited_existed(owner, other_learner):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("development.migrations.0004_jp_credited")
    day = timezone.localdate() - timedelta(days=3)
    now = timezone.now()
    rows = [
        on(
            day,
            owner=person,
            form=form_of("belajar-mandiri"),  # at most 10 JP a year
            jp=Decimal("6"),
            status=Status.VERIFIED,
            decided_at=now - timedelta(hours=hours),
        )
        for person, hours in [(owner, 3), (owner, 2), (owner, 1), (other_learner, 1)]
    ]
    waiting = on(day, owner=owner, jp=Decimal("6"))
    migration.credit_verified_records(apps, None)
    assert credited(*rows, waiting) == [6, 4, 0, 6, 0]

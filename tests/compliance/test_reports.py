"""Agency JP compliance: the numbers, who may see them, the page, the exports and the API."""

import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from compliance.reports import ComplianceFilters, compliance_report, pns_below_target
from compliance.wagtail_hooks import ComplianceMenuItem
from core.exports import csv_cell_text
from learners.factories import EnrollmentFactory, PositionFactory, UserFactory, WorkUnitFactory
from learners.models import Enrollment, User
from tests.utils import csv_download

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def year() -> int:
    """This year, read when the test runs (a module constant would keep the year the test
    process started in, while the pages default to the year of the request)."""
    return timezone.localdate().year


def person(organization, name: str, *, kind="pns", unit=None, position=None, **extra) -> User:
    # A confirmed member unless told otherwise: UserFactory's default.
    return UserFactory(
        email=f"{name.lower()}@instansi.go.id",
        full_name=name,
        account_kind=kind,
        organization=organization,
        work_unit=unit,
        position=position,
        **extra,
    )


def credit(user, course, jp: str, at: datetime, status=Enrollment.Status.COMPLETED):
    """An enrollment ended at `at` with `jp` credited: rows for the report to count (several
    per person and course, which no single journey leaves)."""
    return EnrollmentFactory(
        user=user,
        course=course,
        status=status,
        started_at=at - timedelta(days=2),
        completed_at=at,
        jp_credited=Decimal(jp) if jp is not None else None,
    )


def midyear(year: int, day: int = 2) -> datetime:
    """A moment of `year` (this year) that is already past, whatever today is: the `day`-th of
    January at 09:00, or now on the days before."""
    return min(datetime(year, 1, day, 9, 0, tzinfo=JAKARTA), timezone.now())


@pytest.fixture
def agency(provider_a, provider_b, course_a, year):
    """Organization A: two units, two positions, six PNS (one without unit), two PPPK, and
    people who must not count; organization B with staff of its own."""
    umum = WorkUnitFactory(organization=provider_a, name="Bagian Umum")
    keuangan = WorkUnitFactory(organization=provider_a, name="Bagian Keuangan")
    analis = PositionFactory(organization=provider_a, name="Analis")
    pranata = PositionFactory(organization=provider_a, name="Pranata")

    ani = person(provider_a, "Ani", unit=umum, position=analis, nip="199001012015031001")
    # 00:30 on 1 January in Jakarta is still 31 December in UTC: it counts for the new year.
    credit(ani, course_a, "10", datetime(year, 1, 1, 0, 30, tzinfo=JAKARTA))
    credit(ani, course_a, "10", midyear(year))  # exactly the target: compliant
    budi = person(provider_a, "Budi", unit=umum, position=pranata)
    credit(budi, course_a, "19.5", midyear(year))
    citra = person(provider_a, "Citra", unit=umum, position=analis)
    credit(citra, course_a, "25", midyear(year))
    dedi = person(provider_a, "Dedi", unit=keuangan, position=analis)
    # 23:30 on 31 December in Jakarta: last year's JP, none this year.
    credit(dedi, course_a, "30", datetime(year - 1, 12, 31, 23, 30, tzinfo=JAKARTA))
    eka = person(provider_a, "Eka", unit=keuangan, position=pranata)
    credit(eka, course_a, "8", midyear(year))
    credit(eka, course_a, "4", midyear(year, 3), status=Enrollment.Status.EXPIRED)  # still counts
    credit(eka, course_a, "9", midyear(year, 4), status=Enrollment.Status.WITHDRAWN)  # does not
    EnrollmentFactory(user=eka, course=course_a)
    fajar = person(provider_a, "Fajar", position=analis)
    credit(fajar, course_a, "21", midyear(year))

    gita = person(provider_a, "Gita", kind="pppk", unit=umum, position=pranata)
    credit(gita, course_a, "24", midyear(year))
    hadi = person(provider_a, "Hadi", kind="pppk", unit=keuangan)
    credit(hadi, course_a, "10", midyear(year))

    # Not staff of A for the report: inactive, non-ASN, another organization.
    person(provider_a, "Lama", unit=umum, is_active=False)
    person(provider_a, "Mitra", kind="non_asn", unit=umum)
    lain_unit = WorkUnitFactory(organization=provider_b, name="Bagian Lain")
    lain = person(provider_b, "Lain", unit=lain_unit)
    credit(lain, course_a, "2", midyear(year))

    admin_a = UserFactory(email="sdm@lpa.go.id", admin_of=provider_a)
    admin_b = UserFactory(email="sdm@kb.go.id", admin_of=provider_b)
    return {
        "organization": provider_a,
        "other": provider_b,
        "umum": umum,
        "keuangan": keuangan,
        "analis": analis,
        "lain_unit": lain_unit,
        "admin_a": admin_a,
        "admin_b": admin_b,
    }


def unit_rows(report) -> dict[str, tuple[int, int, int | None]]:
    return {unit.name or "-": (unit.staff, unit.compliant, unit.percent) for unit in report.units}


# The numbers


def test_report_counts_pns_per_unit_and_keeps_pppk_apart(agency, year):
    report = compliance_report(
        organization=agency["organization"], filters=ComplianceFilters(year=year)
    )
    assert unit_rows(report) == {
        "Bagian Keuangan": (2, 0, 0),
        "Bagian Umum": (3, 2, 66),
        "-": (1, 1, 100),  # no unit, listed last
    }
    assert [unit.name for unit in report.units] == ["Bagian Keuangan", "Bagian Umum", ""]
    assert (report.staff, report.compliant, report.below, report.percent) == (6, 3, 3, 50)
    assert (report.pppk_staff, report.pppk_at_cap, report.pppk_jp_total) == (2, 1, Decimal(34))
    assert report.pppk_jp_average == Decimal("17.0")
    assert (report.target, report.pppk_cap) == (20, 24)


def test_year_boundaries_follow_jakarta_time(agency, year):
    last_year = compliance_report(
        organization=agency["organization"], filters=ComplianceFilters(year=year - 1)
    )
    # Only Dedi's 31 December completion counts last year; Ani's 1 January one does not.
    assert unit_rows(last_year) == {
        "Bagian Keuangan": (2, 1, 50),
        "Bagian Umum": (3, 0, 0),
        "-": (1, 0, 0),
    }
    rows = pns_below_target(
        organization=agency["organization"], filters=ComplianceFilters(year=year)
    )
    assert [(row["full_name"], row["jp"]) for row in rows] == [
        ("Dedi", Decimal(0)),
        ("Eka", Decimal(12)),
        ("Budi", Decimal("19.5")),
    ]


def test_filters_by_unit_position_and_no_unit(agency, year):
    organization = agency["organization"]
    by_unit = compliance_report(
        organization=organization, filters=ComplianceFilters(year=year, unit=agency["umum"].pk)
    )
    assert unit_rows(by_unit) == {"Bagian Umum": (3, 2, 66)}
    assert by_unit.pppk_staff == 1

    by_position = ComplianceFilters(year=year, position=agency["analis"].pk)
    report = compliance_report(organization=organization, filters=by_position)
    assert (report.staff, report.compliant, report.percent) == (4, 3, 75)
    below = pns_below_target(organization=organization, filters=by_position)
    assert [row["full_name"] for row in below] == ["Dedi"]

    no_unit = compliance_report(
        organization=organization, filters=ComplianceFilters(year=year, unit="none")
    )
    assert unit_rows(no_unit) == {"-": (1, 1, 100)}
    assert no_unit.pppk_staff == 0


def test_below_target_list_sorts_by_name_and_unit(agency, year):
    organization = agency["organization"]
    filters = ComplianceFilters(year=year)

    def names(sort):
        rows = pns_below_target(organization=organization, filters=filters, sort=sort)
        return [row["full_name"] for row in rows]

    assert names("name") == ["Budi", "Dedi", "Eka"]
    assert names("-name") == ["Eka", "Dedi", "Budi"]
    assert names("-jp") == ["Budi", "Eka", "Dedi"]
    assert names("unit") == ["Dedi", "Eka", "Budi"]
    assert names("nonsense") == ["Dedi", "Eka", "Budi"]  # the default: lowest JP first


def test_an_organization_without_staff_has_no_percentage(provider_a, year):
    report = compliance_report(organization=provider_a, filters=ComplianceFilters(year=year))
    assert (report.units, report.staff, report.percent, report.pppk_jp_average) == (
        [],
        0,
        None,
        None,
    )


# Who may see it


def page_urls(organization_id: int) -> list[str]:
    return [
        f"/kepatuhan/{organization_id}/",
        f"/kepatuhan/{organization_id}/unduh.csv",
        f"/kepatuhan/{organization_id}/unduh.xlsx",
    ]


def test_learners_and_other_admins_get_404_everywhere(agency, client_for):
    learner = UserFactory(email="peserta@lpa.go.id", organization=agency["organization"])
    organization_id = agency["organization"].pk
    for user in (learner, agency["admin_b"]):
        client = client_for(user)
        for url in page_urls(organization_id):
            assert client.get(url).status_code == 404, (user, url)
        api = f"/api/v1/organizations/{organization_id}/compliance"
        response = client.get(api)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert client_for(learner).get("/kepatuhan/").status_code == 404
    # An id that does not exist answers the same.
    assert client_for(agency["admin_a"]).get("/kepatuhan/999999/").status_code == 404


def test_anonymous_is_sent_to_sign_in_and_the_api_answers_401(agency, client):
    for url in page_urls(agency["organization"].pk) + ["/kepatuhan/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    api = f"/api/v1/organizations/{agency['organization'].pk}/compliance"
    assert client.get(api).status_code == 401


def test_index_redirects_an_admin_of_one_organization(agency, client_for):
    response = client_for(agency["admin_a"]).get("/kepatuhan/")
    assert response.status_code == 302
    assert response["Location"] == f"/kepatuhan/{agency['organization'].pk}/"


def test_index_lists_every_organization_for_a_platform_admin(agency, client_for):
    admin = UserFactory(email="root@lentera.go.id", is_superuser=True, is_staff=True)
    response = client_for(admin).get("/en/kepatuhan/")
    assert response.status_code == 200
    assert list(response.context["organizations"]) == sorted(
        [agency["organization"], agency["other"]], key=lambda organization: organization.name
    )
    assert client_for(admin).get(page_urls(agency["other"].pk)[0]).status_code == 200


def test_navigation_and_admin_menu_show_the_report_to_admins_only(agency, client_for):
    learner = UserFactory(email="peserta@lpa.go.id")
    assert 'href="/kepatuhan/"' in client_for(agency["admin_a"]).get("/saya/").content.decode()
    assert 'href="/kepatuhan/"' not in client_for(learner).get("/saya/").content.decode()

    item = ComplianceMenuItem("JP", "/kepatuhan/")
    request = RequestFactory().get("/admin/")
    request.user = agency["admin_a"]
    assert item.is_shown(request)
    request.user = learner
    assert not item.is_shown(request)
    superuser = UserFactory(email="root@lentera.go.id", is_superuser=True, is_staff=True)
    assert "/kepatuhan/" in client_for(superuser).get("/admin/").content.decode()


# The page


def test_page_shows_units_the_people_below_target_and_pppk(agency, client_for, year):
    organization = agency["organization"]
    response = client_for(agency["admin_a"]).get(f"/en/kepatuhan/{organization.pk}/")
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.staff, report.compliant, report.percent) == (6, 3, 50)
    assert [row["full_name"] for row in response.context["page_obj"]] == ["Dedi", "Eka", "Budi"]
    assert [row["full_name"] for row in response.context["pppk_page"]] == ["Gita", "Hadi"]
    html = response.content.decode()
    assert "PP 17/2020" in html
    assert "Bagian Keuangan" in html and "50%" in html
    assert "19900101 201503 1 001" not in html  # Ani is compliant: not listed
    assert "Lain" not in html  # staff of organization B
    assert f"unduh.csv?tahun={year}" in html


def test_page_filters_year_unit_position_and_sort(agency, client_for, year):
    organization = agency["organization"]
    client = client_for(agency["admin_a"])
    url = f"/en/kepatuhan/{organization.pk}/"

    last_year = client.get(url, {"tahun": year - 1}).context
    assert last_year["report"].year == year - 1
    assert last_year["report"].compliant == 1

    by_unit = client.get(url, {"unit": agency["keuangan"].pk, "sort": "name"}).context
    assert [row["full_name"] for row in by_unit["page_obj"]] == ["Dedi", "Eka"]
    assert [row["full_name"] for row in by_unit["pppk_page"]] == ["Hadi"]

    by_position = client.get(url, {"jabatan": agency["analis"].pk}).context
    assert [row["full_name"] for row in by_position["page_obj"]] == ["Dedi"]


def test_a_unit_of_another_organization_is_rejected_not_applied(agency, client_for, year):
    organization = agency["organization"]
    response = client_for(agency["admin_a"]).get(
        f"/en/kepatuhan/{organization.pk}/",
        {"unit": agency["lain_unit"].pk, "jabatan": "x", "tahun": "1990"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"unit", "jabatan", "tahun"}
    assert response.context["filters"] == ComplianceFilters(year=year)
    assert response.context["report"].staff == 6
    assert "Lain" not in response.content.decode()
    assert "Some filters were not valid" in response.content.decode()


def test_below_target_list_is_paginated(provider_a, course_a, client_for):
    unit = WorkUnitFactory(organization=provider_a, name="Bagian Besar")
    User.objects.bulk_create(
        User(
            email=f"pns{n}@lpa.go.id",
            full_name=f"Pegawai {n:03d}",
            account_kind="pns",
            organization=provider_a,
            membership_status="confirmed",
            work_unit=unit,
        )
        for n in range(60)
    )
    admin = UserFactory(email="sdm@lpa.go.id", admin_of=provider_a)
    client = client_for(admin)
    first = client.get(f"/en/kepatuhan/{provider_a.pk}/", {"sort": "name"}).context["page_obj"]
    assert (first.paginator.count, first.paginator.num_pages, len(first)) == (60, 2, 50)
    second = client.get(f"/en/kepatuhan/{provider_a.pk}/", {"sort": "name", "page": 2})
    assert [row["full_name"] for row in second.context["page_obj"]][0] == "Pegawai 050"


# Exports


def test_csv_lists_every_pns_then_every_pppk(agency, client_for, year):
    organization = agency["organization"]
    response = client_for(agency["admin_a"]).get(
        f"/en/kepatuhan/{organization.pk}/unduh.csv", {"tahun": year}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"-{year}.csv" in response["Content-Disposition"]
    rows = csv_download(response, as_shown=False)
    # For Excel: a byte order mark, and the NIP as a text formula, or it keeps 15 digits.
    assert rows[3][2] == '="199001012015031001"'
    rows = [[csv_cell_text(field) for field in row] for row in rows]
    assert rows[0] == [
        "ASN status",
        "Name",
        "NIP",
        "Work unit",
        "Position",
        "JP",
        "JP target (PNS) or cap (PPPK)",
        "Compliant",
    ]
    assert rows[1:] == [
        ["PNS", "Dedi", "", "Bagian Keuangan", "Analis", "0.00", "20", "No"],
        ["PNS", "Eka", "", "Bagian Keuangan", "Pranata", "12.00", "20", "No"],
        ["PNS", "Ani", "199001012015031001", "Bagian Umum", "Analis", "20.00", "20", "Yes"],
        ["PNS", "Budi", "", "Bagian Umum", "Pranata", "19.50", "20", "No"],
        ["PNS", "Citra", "", "Bagian Umum", "Analis", "25.00", "20", "Yes"],
        ["PNS", "Fajar", "", "", "Analis", "21.00", "20", "Yes"],
        ["PPPK", "Hadi", "", "Bagian Keuangan", "", "10.00", "24", ""],
        ["PPPK", "Gita", "", "Bagian Umum", "Pranata", "24.00", "24", ""],
    ]


def test_csv_applies_the_filters(agency, client_for):
    organization = agency["organization"]
    response = client_for(agency["admin_a"]).get(
        f"/kepatuhan/{organization.pk}/unduh.csv", {"unit": agency["umum"].pk}
    )
    rows = csv_download(response)
    assert [row[1] for row in rows[1:]] == ["Ani", "Budi", "Citra", "Gita"]


def test_xlsx_has_units_pns_and_pppk_sheets(agency, client_for, year):
    organization = agency["organization"]
    response = client_for(agency["admin_a"]).get(
        f"/en/kepatuhan/{organization.pk}/unduh.xlsx", {"tahun": year}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [f"By unit {year}", "PNS", "PPPK"]
    units = [list(row) for row in workbook[f"By unit {year}"].iter_rows(values_only=True)]
    assert units == [
        ["Work unit", "PNS staff", "Compliant (20 JP or more)", "Below target", "Compliant (%)"],
        ["Bagian Keuangan", 2, 0, 2, 0],
        ["Bagian Umum", 3, 2, 1, 66],
        ["No unit", 1, 1, 0, 100],
        ["Total", 6, 3, 3, 50],
    ]
    pns = [list(row) for row in workbook["PNS"].iter_rows(values_only=True)]
    assert pns[0] == ["Name", "NIP", "Work unit", "Position", "JP", "JP target", "Compliant"]
    assert pns[3] == ["Ani", "199001012015031001", "Bagian Umum", "Analis", 20, 20, "Yes"]
    assert [row[0] for row in pns[1:]] == ["Dedi", "Eka", "Ani", "Budi", "Citra", "Fajar"]
    assert pns[4][4] == 19.5
    pppk = [list(row) for row in workbook["PPPK"].iter_rows(values_only=True)]
    assert pppk[0][5:] == ["JP cap", "Cap reached"]
    assert pppk[1:] == [
        ["Hadi", None, "Bagian Keuangan", None, 10, 24, "No"],
        ["Gita", None, "Bagian Umum", "Pranata", 24, 24, "Yes"],
    ]


# The API


def test_api_returns_the_report_and_a_page_of_people_below_target(agency, client_for, year):
    organization = agency["organization"]
    client = client_for(agency["admin_a"])
    response = client.get(
        f"/api/v1/organizations/{organization.pk}/compliance",
        {"year": year, "page_size": 2, "page": 2},
    )
    assert response.status_code == 200
    data = response.json()
    assert {key: data[key] for key in ("organization_id", "year", "target", "pppk_cap")} == {
        "organization_id": organization.pk,
        "year": year,
        "target": 20,
        "pppk_cap": 24,
    }
    assert data["pns"] == {"staff": 6, "compliant": 3, "below_target": 3, "percent": 50}
    assert data["units"][0] == {
        "unit_id": agency["keuangan"].pk,
        "unit_name": "Bagian Keuangan",
        "staff": 2,
        "compliant": 0,
        "below_target": 2,
        "percent": 0,
    }
    assert data["units"][-1]["unit_id"] is None
    assert data["pppk"] == {
        "staff": 2,
        "cap": 24,
        "reached_cap": 1,
        "jp_total": "34.00",
        "jp_average": "17.0",
    }
    below = data["below_target"]
    assert {key: below[key] for key in ("count", "page", "page_size", "pages")} == {
        "count": 3,
        "page": 2,
        "page_size": 2,
        "pages": 2,
    }
    [budi] = below["results"]
    assert budi["name"] == "Budi" and Decimal(budi["jp"]) == Decimal("19.5")
    assert set(budi) == {
        "user_id",
        "name",
        "nip",
        "work_unit_id",
        "work_unit",
        "position_id",
        "position",
        "jp",
    }


def test_api_rejects_bad_parameters(agency, client_for, year):
    organization = agency["organization"]
    client = client_for(agency["admin_a"])
    url = f"/api/v1/organizations/{organization.pk}/compliance"
    for params in (
        {"year": 1999},
        {"page_size": 500},
        {"page": 0},
        {"unit": agency["lain_unit"].pk},
        {"position": 999999},
        {"sort": "email"},
    ):
        response = client.get(url, params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid"
    filtered = client.get(url, {"unit": agency["umum"].pk, "year": year - 1}).json()
    assert filtered["pns"]["staff"] == 3 and filtered["pns"]["compliant"] == 0


# Queries do not grow with the number of staff


def _staff_in_bulk(organization, course, count: int, prefix: str, *, year: int) -> User:
    units = [WorkUnitFactory(organization=organization, name=f"Unit {n}") for n in range(3)]
    positions = [PositionFactory(organization=organization, name=f"Jabatan {n}") for n in range(2)]
    User.objects.bulk_create(
        User(
            email=f"{prefix}{n}@instansi.go.id",
            full_name=f"{prefix.title()} {n:04d}",
            account_kind="pppk" if n % 5 == 0 else "pns",
            organization=organization,
            work_unit=units[n % 3] if n % 7 else None,
            position=positions[n % 2],
            # A few await confirmation: listed apart, never counted.
            membership_status="pending" if n % 11 == 0 else "confirmed",
        )
        for n in range(count)
    )
    people = list(User.objects.filter(email__startswith=prefix))
    Enrollment.objects.bulk_create(
        Enrollment(
            user=user,
            course=course,
            status=Enrollment.Status.COMPLETED,
            completed_at=midyear(year),
            jp_credited=Decimal(n % 30),
        )
        for n, user in enumerate(people)
    )
    admin = UserFactory(email=f"sdm.{prefix}@instansi.go.id", admin_of=organization)
    client = Client()
    client.force_login(admin)
    return client


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    fetch()  # warm what a live site keeps warm
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return len(queries)


def test_page_and_exports_take_the_same_queries_for_10_or_500_staff(
    provider_a, provider_b, course_a, year
):
    few = _staff_in_bulk(provider_a, course_a, 10, "sedikit", year=year)
    many = _staff_in_bulk(provider_b, course_a, 500, "banyak", year=year)
    for suffix in ("", "unduh.csv", "unduh.xlsx", f"?tahun={year}&sort=name&page=2"):
        counts = [
            _queries(few, f"/kepatuhan/{provider_a.pk}/{suffix}"),
            _queries(many, f"/kepatuhan/{provider_b.pk}/{suffix}"),
        ]
        assert counts[0] == counts[1], (suffix, counts)
    api = [
        _queries(few, f"/api/v1/organizations/{provider_a.pk}/compliance"),
        _queries(many, f"/api/v1/organizations/{provider_b.pk}/compliance"),
    ]
    assert api[0] == api[1]

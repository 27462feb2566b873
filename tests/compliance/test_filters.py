"""The compliance report's filters are validated once (`compliance.forms`): the page,
its CSV and XLSX exports and the API accept and refuse the same values.

The page and the exports drop an invalid filter (the page says so), the API answers 422; a
valid one is applied by all four.
"""

import pytest
from django.utils import timezone

from learners.factories import PositionFactory, UserFactory, WorkUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(provider_a, provider_b):
    admin = UserFactory(email="sdm.filter@lpa.go.id", admin_of=provider_a)
    return {
        "organization": provider_a,
        "admin": admin,
        "unit": WorkUnitFactory(organization=provider_a, name="Bagian Umum"),
        "position": PositionFactory(organization=provider_a, name="Analis"),
        "other_unit": WorkUnitFactory(organization=provider_b, name="Bagian Lain"),
        "other_position": PositionFactory(organization=provider_b, name="Pranata Lain"),
    }


def answers(client, organization, page_params: dict, api_params: dict) -> dict[str, bool]:
    """Whether each interface took the filters as valid."""
    base = f"/en/kepatuhan/{organization.pk}/"
    page = client.get(base, page_params)
    assert page.status_code == 200
    csv_export = client.get(f"{base}unduh.csv", page_params)
    xlsx_export = client.get(f"{base}unduh.xlsx", page_params)
    api = client.get(f"/api/v1/organizations/{organization.pk}/compliance", api_params)
    assert api.status_code in (200, 422), api.content
    filters = page.context["filters"]
    year = str(page_params.get("tahun", timezone.localdate().year))

    return {
        "page": not page.context["form"].errors,
        "page applies": filters.year == int(year) if "tahun" in page_params else True,
        # The exports are named after the year they cover.
        "csv": f"-{year}.csv" in csv_export["Content-Disposition"],
        "xlsx": f"-{year}.xlsx" in xlsx_export["Content-Disposition"],
        "api": api.status_code == 200,
    }


# The year asked for, from this year (read when the test runs, not when the module is imported).
YEARS = {
    "this year": lambda this: this,
    "four years ago": lambda this: this - 4,
    "five years ago": lambda this: this - 5,
    "next year": lambda this: this + 1,
    "2010": lambda this: 2010,
    "year 1": lambda this: 1,
}


@pytest.mark.parametrize(
    "name, valid",
    [
        ("this year", True),
        ("four years ago", True),
        ("five years ago", False),
        ("next year", False),
        ("2010", False),
        ("year 1", False),
    ],
)
def test_a_year_is_valid_for_all_or_for_none(setting, client_for, name, valid):
    year = YEARS[name](timezone.localdate().year)
    shown = answers(
        client_for(setting["admin"]), setting["organization"], {"tahun": year}, {"year": year}
    )
    assert shown == dict.fromkeys(shown, valid), shown


@pytest.mark.parametrize("name", ["unit", "other_unit", "position", "other_position"])
def test_a_unit_or_position_is_valid_for_all_or_for_none(setting, client_for, name):
    pk = setting[name].pk
    page_key, api_key = ("unit", "unit") if "unit" in name else ("jabatan", "position")
    client = client_for(setting["admin"])
    organization = setting["organization"]
    page = client.get(f"/en/kepatuhan/{organization.pk}/", {page_key: pk})
    api = client.get(f"/api/v1/organizations/{organization.pk}/compliance", {api_key: pk})
    valid = not name.startswith("other")
    assert (not page.context["form"].errors) is valid
    assert (api.status_code == 200) is valid, api.content
    filters = page.context["filters"]
    applied = filters.unit if page_key == "unit" else filters.position
    assert (applied == pk) is valid
    if not valid:
        assert api.json()["code"] == "invalid"
        assert api.json()["detail"].startswith("Unit kerja:" if page_key == "unit" else "Jabatan:")


@pytest.mark.parametrize("sort, valid", [("name", True), ("-jp", True), ("email", False)])
def test_an_order_is_valid_for_all_or_for_none(setting, client_for, sort, valid):
    client = client_for(setting["admin"])
    organization = setting["organization"]
    page = client.get(f"/en/kepatuhan/{organization.pk}/", {"sort": sort})
    api = client.get(f"/api/v1/organizations/{organization.pk}/compliance", {"sort": sort})
    assert (not page.context["form"].errors) is valid
    assert (api.status_code == 200) is valid


def test_the_report_service_records_its_own_audit_event(db):
    """The page, its exports and the API log through one service: another entry point that
    shows the report cannot skip the audit event."""
    from audit.models import AuditEvent
    from audit.services import Action
    from compliance.reports import ComplianceFilters, compliance_access_record
    from content.factories import OrganizationFactory

    organization = OrganizationFactory(name="Badan Uji", short_name="BU")
    admin = UserFactory()
    filters = ComplianceFilters(year=2026)
    compliance_access_record(
        actor=admin, organization=organization, filters=filters, action=Action.EXPORT, format="csv"
    )

    event = AuditEvent.objects.get()
    assert (event.actor, event.action) == (admin, Action.EXPORT)
    assert event.detail["report"] == "jp_compliance"
    assert (event.detail["year"], event.detail["format"]) == (2026, "csv")

"""The compliance page and API of an organization with many work units: the units table is paged
(and searched by name server side), the unit drop-down gives way to that search beyond
`UNIT_SELECT_MAX` units, and neither the page nor the API grows with the units."""

import re

import pytest
from django.core.cache import cache

from compliance import reports
from compliance.forms import UNIT_SEARCH_MAX, UNIT_SELECT_MAX
from content.factories import OrganizationFactory
from learners.factories import UserFactory, WorkUnitFactory
from learners.models import User
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

PER_PAGE = reports.UNITS_PER_PAGE


def _organization(slug: str, units: int):
    """An organization of `units` units ("Unit 001"...; every tenth a "Balai"), one PNS each,
    and its HR admin; the units in the report's order (by name)."""
    organization = OrganizationFactory(name=f"Instansi {slug}", short_name=slug, slug=slug)
    made = [
        WorkUnitFactory(
            organization=organization, name=f"{'Balai' if n % 10 == 0 else 'Unit'} {n:03d}"
        )
        for n in range(units)
    ]
    User.objects.bulk_create(
        User(
            email=f"{slug}{n}@instansi.go.id",
            full_name=f"Pegawai {n:03d}",
            account_kind="pns",
            organization=organization,
            work_unit=unit,
            membership_status="confirmed",
        )
        for n, unit in enumerate(made)
    )
    admin = UserFactory(email=f"sdm@{slug}.go.id", admin_of=organization)
    cache.clear()
    return organization, sorted(made, key=lambda unit: unit.name), admin


def _page(organization) -> str:
    return f"/en/kepatuhan/{organization.pk}/"


def _api(organization) -> str:
    return f"/api/v1/organizations/{organization.pk}/compliance"


def _unit_rows(html: str) -> list[str]:
    table = html.split('class="ledger compliance-units"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"(?:Unit|Balai) \d{3}", table)


@pytest.fixture
def many(db):
    return _organization("banyak", UNIT_SELECT_MAX + 30)


def test_many_units_are_paged_and_searched_without_a_drop_down(client_for, many):
    organization, units, admin = many
    client = client_for(admin)
    response = client.get(_page(organization))
    assert response.status_code == 200
    html = response.text
    assert 'name="unit_cari"' in html
    assert '<select name="unit"' not in html
    assert _unit_rows(html) == [unit.name for unit in units[:PER_PAGE]]
    assert "unit_hal=2" in html
    # The footer still totals every unit.
    assert "Total, every unit" in html

    last = client.get(_page(organization), {"unit_hal": 3}).text
    assert _unit_rows(last) == [unit.name for unit in units[2 * PER_PAGE :]]

    found = client.get(_page(organization), {"unit_cari": "balai"}).text
    assert _unit_rows(found) == [unit.name for unit in units if unit.name.startswith("Balai")]
    nothing = client.get(_page(organization), {"unit_cari": "Gedung"}).text
    assert "No work unit matches this search." in nothing


def test_choosing_a_unit_from_the_table_filters_the_report(client_for, many):
    organization, units, admin = many
    client = client_for(admin)
    chosen = next(unit for unit in units if unit.name == "Balai 040")
    response = client.get(_page(organization), {"unit": chosen.pk})
    assert response.context["filters"].unit == chosen.pk
    assert not response.context["form"].errors
    assert "Work unit: <strong>Balai 040</strong>" in response.text
    assert f'<input type="hidden" name="unit" value="{chosen.pk}">' in response.text
    assert _unit_rows(response.text) == ["Balai 040"]
    # The API validates the same way.
    data = client.get(_api(organization), {"unit": chosen.pk}).json()
    assert [unit["unit_name"] for unit in data["units"]] == ["Balai 040"]


@pytest.mark.parametrize(
    "params",
    [
        {"unit_hal": "abc"},
        {"unit_hal": "9999"},
        {"unit_hal": "-1"},
        {"unit_cari": "x" * (UNIT_SEARCH_MAX + 1)},
        {"unit": "abc"},
        {"unit": "99999999"},
        {"unit": "1" * 40},
    ],
)
def test_bad_input_is_answered_with_a_page(client_for, many, params):
    organization, units, admin = many
    response = client_for(admin).get(_page(organization), params)
    assert response.status_code == 200
    rows = _unit_rows(response.text)
    if "unit_hal" in params:
        # Django's paginator: not a number, the first page; out of range, the last.
        last = params["unit_hal"] in ("9999", "-1")
        expected = units[2 * PER_PAGE :] if last else units[:PER_PAGE]
        assert rows == [unit.name for unit in expected]
    else:
        # The invalid filter is dropped, and the page says so.
        assert response.context["form"].errors
        assert "Some filters were not valid" in response.text
        assert rows == [unit.name for unit in units[:PER_PAGE]]


def test_a_unit_of_another_organization_is_not_valid(client_for, many):
    organization, _units, admin = many
    _other, other_units, _other_admin = _organization("lain", UNIT_SELECT_MAX + 1)
    client = client_for(admin)
    response = client.get(_page(organization), {"unit": other_units[0].pk})
    assert response.context["form"].errors
    assert response.context["filters"].unit is None
    assert client.get(_api(organization), {"unit": other_units[0].pk}).status_code == 422


def test_few_units_keep_the_drop_down(client_for):
    organization, units, admin = _organization("sedikit", 3)
    html = client_for(admin).get(_page(organization)).text
    assert '<select name="unit"' in html
    assert 'name="unit_cari"' not in html
    assert _unit_rows(html) == [unit.name for unit in units]
    assert "unit_hal=" not in html


def test_the_wrong_people_get_404(client_for, many):
    organization, _units, _admin = many
    _other, _other_units, other_admin = _organization("lain", 2)
    learner = User.objects.filter(organization=organization).first()
    for person in (other_admin, learner):
        client = client_for(person)
        assert client.get(_page(organization), {"unit_hal": 2}).status_code == 404
        assert client.get(_api(organization), {"units_page": 2}).status_code == 404


def test_the_api_pages_the_units(client_for, many):
    organization, units, admin = many
    client = client_for(admin)
    data = client.get(_api(organization)).json()
    assert [unit["unit_name"] for unit in data["units"]] == [u.name for u in units[:PER_PAGE]]
    assert data["units_paging"] == {
        "count": len(units),
        "page": 1,
        "page_size": PER_PAGE,
        "pages": 3,
    }
    # The totals are the organization's, whatever the page.
    assert data["pns"]["staff"] == len(units)
    data = client.get(_api(organization), {"units_page": 2, "units_page_size": 40}).json()
    assert [unit["unit_name"] for unit in data["units"]] == [u.name for u in units[40:]]
    assert data["units_paging"] == {"count": 60, "page": 2, "page_size": 40, "pages": 2}
    for bad in ({"units_page": 0}, {"units_page": "abc"}, {"units_page_size": 1000}):
        assert client.get(_api(organization), bad).status_code == 422, bad


def test_page_and_api_do_not_grow_with_the_units(client_for, many):
    organization, _units, admin = many
    big, _big_units, big_admin = _organization("besar", UNIT_SELECT_MAX + 300)
    small_client, big_client = client_for(admin), client_for(big_admin)
    for url_of in (_page, _api):
        small = small_client.get(url_of(organization)).content
        large = big_client.get(url_of(big)).content
        # Names and counts differ by a digit or two; 300 more units would add tens of KB.
        assert abs(len(large) - len(small)) < 1000, url_of
        assert count_queries(small_client, url_of(organization)) == count_queries(
            big_client, url_of(big)
        )

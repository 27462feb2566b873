"""An organization's HR admin in a real browser, on a phone and on a desktop: signs in, opens the
JP compliance report through the menu, narrows it to one work unit, sorts the staff below target
and downloads the CSV and Excel exports, with `check_page` (axe, tap targets, reflow) on every
page on the way."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from courses.factories import course_with_lessons, provider_page_of
from learners.factories import PositionFactory, UserFactory, WorkUnitFactory
from learners.models import Enrollment, OrganizationRole, User
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page, click_and_wait, sign_in_with_form

pytestmark = E2E

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def agency(provider):
    """The provider's HR admin and staff in two work units: in Bagian Umum, Budi (12 JP) and
    Ani (NIP set, 5 JP) are below the 20 JP target and Citra (25 JP) has reached it; in Bagian
    Keuangan, Dedi (3 JP) is below it; Gita is PPPK."""
    course = course_with_lessons(
        provider_page=provider_page_of(provider), title="Etika Pelayanan", modules=1
    )
    umum = WorkUnitFactory(organization=provider, name="Bagian Umum")
    keuangan = WorkUnitFactory(organization=provider, name="Bagian Keuangan")
    analis = PositionFactory(organization=provider, name="Analis Kebijakan")
    completed_at = datetime(timezone.localdate().year, 1, 2, 9, 0, tzinfo=JAKARTA)

    def staff(name: str, unit, jp: str, kind: str = "pns", **extra) -> User:
        user = User.objects.create(
            email=f"{name.lower()}@lan.go.id",
            full_name=name,
            account_kind=kind,
            organization=provider,
            work_unit=unit,
            position=analis,
            membership_status="confirmed",
            **extra,
        )
        Enrollment.objects.create(
            user=user,
            course=course,
            status=Enrollment.Status.COMPLETED,
            started_at=completed_at - timedelta(days=2),
            completed_at=completed_at,
            jp_credited=Decimal(jp),
        )
        return user

    staff("Budi Santoso", umum, "12")
    staff("Ani Lestari", umum, "5", nip="199001012015031001")
    staff("Citra Maharani", umum, "25")
    staff("Dedi Kurniawan", keuangan, "3")
    staff("Gita Pratiwi", umum, "24", kind="pppk")
    admin = UserFactory(email="sdm@lan.go.id", full_name="Sri Wahyuni")
    OrganizationRole.objects.create(user=admin, organization=provider, role="admin")
    return {"organization": provider, "admin": admin, "umum": umum}


def names_below_target(page: Page) -> list[str]:
    return page.locator("#below-caption + thead + tbody th[scope=row]").all_inner_texts()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_hr_admin_filters_the_compliance_report_and_exports_it(
    page: Page, agency, viewport, tmp_path
):
    organization = agency["organization"]
    page.set_viewport_size(VIEWPORTS[viewport])

    page.goto("/accounts/login/")
    check_page(page, name="sign in")
    sign_in_with_form(page, agency["admin"].email)
    check_page(page, name="after signing in")

    # The report is in the main navigation, behind "Menu" on a phone.
    compliance_link = page.locator("nav.site-nav").get_by_role("link", name=_("JP compliance"))
    if viewport == "mobile":
        expect(compliance_link).to_be_hidden()
        page.locator(".site-menu__toggle").click()
    click_and_wait(page, compliance_link)
    assert page.url.endswith(f"/kepatuhan/{organization.pk}/")
    year = timezone.localdate().year
    expect(page.locator("h1")).to_have_text(_("JP compliance %(year)s") % {"year": year})
    # Lowest JP first.
    assert names_below_target(page) == ["Dedi Kurniawan", "Ani Lestari", "Budi Santoso"]
    check_page(page, name="compliance report")

    # One work unit: its staff below target.
    page.select_option("#id_unit", label="Bagian Umum")
    click_and_wait(page, page.locator("form.compliance-filters button[type=submit]"))
    assert f"unit={agency['umum'].pk}" in page.url
    assert names_below_target(page) == ["Ani Lestari", "Budi Santoso"]
    check_page(page, name="compliance report, one unit")

    # Sorted by name, from the column header.
    sort_by_name = page.locator("thead").get_by_role("link", name=_("Name"))
    click_and_wait(page, sort_by_name.first)
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text(_("Name"))
    assert names_below_target(page) == ["Ani Lestari", "Budi Santoso"]
    click_and_wait(page, page.locator("thead").get_by_role("link", name=_("Name")).first)
    assert names_below_target(page) == ["Budi Santoso", "Ani Lestari"]
    check_page(page, name="compliance report, sorted")

    # The exports carry the unit filter: everyone in Bagian Umum, nobody from Bagian Keuangan.
    with page.expect_download() as download:
        page.get_by_role("link", name=_("Download every staff member (CSV)")).click()
    assert download.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Budi Santoso", "Ani Lestari", "Citra Maharani", "Gita Pratiwi"}
    assert by_name["Budi Santoso"][0] == "PNS" and by_name["Budi Santoso"][-1] == _("No")
    assert by_name["Citra Maharani"][-1] == _("Yes")
    assert by_name["Gita Pratiwi"][0] == "PPPK"

    with page.expect_download() as download:
        page.get_by_role(
            "link", name=_("Download every staff member, with the units (Excel)")
        ).click()
    workbook_path = tmp_path / download.value.suggested_filename
    assert workbook_path.suffix == ".xlsx"
    download.value.save_as(workbook_path)
    workbook = load_workbook(workbook_path, read_only=True)
    pns = [row[0] for row in list(workbook["PNS"].iter_rows(values_only=True))[1:]]
    assert sorted(pns) == ["Ani Lestari", "Budi Santoso", "Citra Maharani"]
    # Downloading leaves the report on screen, still passing the checks.
    check_page(page, name="compliance report after the downloads")

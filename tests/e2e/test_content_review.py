"""The content review report in a real browser: a moderator finds the overdue course (with its
JP warning), downloads the CSV, marks the course reviewed, and a learner sees the review date."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.factories import course_with_lessons, provider_page_of
from courses.models import CoursePage
from learners.factories import UserFactory
from tests.e2e.helpers import E2E, _, check_page, click_and_wait, screenshot

pytestmark = E2E


def test_moderator_finds_overdue_content_and_marks_it_reviewed(page: Page, provider, sign_in):
    section = provider_page_of(provider)
    # Four lessons of 20 minutes credited as 1 JP (45 minutes): the report warns.
    overdue = course_with_lessons(provider_page=section, title="Etika Lama", jp=Decimal("1"))
    later = course_with_lessons(provider_page=section, title="Pelayanan Prima")
    today = timezone.localdate()
    CoursePage.objects.filter(pk=overdue.pk).update(review_by=today - timedelta(days=5))
    CoursePage.objects.filter(pk=later.pk).update(review_by=today + timedelta(days=200))
    moderator = UserFactory(email="moderator@lan.go.id", full_name="Rina Moderator")
    moderator.groups.add(provider.moderators_group)
    sign_in(moderator)

    page.goto("/admin/")
    page.get_by_role("button", name=_("Reports")).click()
    click_and_wait(page, page.get_by_role("link", name=_("Content review")))
    table = page.locator("table.listing")
    expect(table).to_contain_text("Etika Lama")
    expect(table).not_to_contain_text("Pelayanan Prima")
    expect(table).to_contain_text("80")  # the lessons' minutes beside the credited JP
    check_page(page, name="content-review-report")
    screenshot(page, "content-review-report")

    with page.expect_download() as download:
        page.get_by_role("link", name=_("Download CSV")).click()
    assert "Etika Lama" in download.value.path().read_text(encoding="utf-8-sig")

    click_and_wait(page, table.get_by_role("link", name=_("Mark as reviewed")))
    check_page(page, name="content-review-mark")
    click_and_wait(page, page.get_by_role("button", name=_("Mark as reviewed")))
    expect(page.locator(".messages")).to_contain_text("Etika Lama")
    expect(page.locator("table.listing")).to_have_count(0)
    overdue.refresh_from_db()
    assert overdue.last_reviewed_on == today
    assert overdue.last_reviewed_by == moderator

    page.context.clear_cookies()
    page.goto(overdue.url)
    expect(page.locator(".review-date")).to_contain_text(str(today.year))

"""A trainer importing a cohort list and following progress, in a real browser."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from cohorts.models import CohortMembership
from cohorts.services import cohort_create
from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from learners.factories import UserFactory
from learners.models import CourseTrainer
from tests.e2e.helpers import E2E, _, click_and_wait, screenshot

pytestmark = E2E


def test_trainer_imports_a_cohort_list_and_follows_progress(page: Page, provider, sign_in):
    course = course_with_lessons(provider_page=provider_page_of(provider), title="Etika Pelayanan")
    trainer = UserFactory(email="widyaiswara@instansi.go.id", full_name="Widyaiswara Satu")
    CourseTrainer.objects.create(course=course, user=trainer)
    cohort = cohort_create(
        course=course,
        name="Angkatan I",
        starts_on=timezone.localdate() - timedelta(days=14),
        ends_on=timezone.localdate() + timedelta(days=15),
        created_by=trainer,
    )
    known = UserFactory(email="budi@instansi.go.id", full_name="Budi Santoso")
    UserFactory(email="rina@instansi.go.id", full_name="Rina Wulandari", nip="198609262015052001")
    sign_in(trainer)

    page.goto(f"/pelatih/kelas/{cohort.pk}/peserta/")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "peserta.csv",
                "mimeType": "text/csv",
                "buffer": b"nip;email\n;budi@instansi.go.id\n198609262015052001;\n"
                b";baru@instansi.go.id\n",
            }
        ],
    )
    page.get_by_role("button", name=_("Check the list")).click()
    page.wait_for_url(re.compile(rf"/pelatih/kelas/{cohort.pk}/impor/\d+/$"))
    screenshot(page, "cohort-import-check")
    # The dry run changed nothing.
    assert not CohortMembership.objects.filter(cohort=cohort).exists()
    click_and_wait(page, page.locator("main form.actions button[type=submit]"))
    assert CohortMembership.objects.filter(cohort=cohort).count() == 2
    assert cohort.invitations.count() == 1

    # Budi has done one lesson: the table and the charts show it.
    from learners import services

    lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()
    services.lesson_complete(user=known, lesson=lesson)
    page.goto(f"/pelatih/kelas/{cohort.pk}/")
    table = page.locator("table.learners-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tr", has_text="Budi Santoso")).to_contain_text("25%")
    charts = page.locator("main figure svg[role=img]")
    expect(charts).to_have_count(3)
    for index in range(3):
        assert charts.nth(index).get_attribute("aria-labelledby")
    screenshot(page, "cohort")

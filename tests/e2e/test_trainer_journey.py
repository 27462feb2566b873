"""A trainer importing a cohort list and following progress, and the person the import invited
signing up through the e-mailed link, in a real browser at phone and desktop widths."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from cohorts.models import CohortInvitation, CohortMembership
from cohorts.services import cohort_create
from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from learners.factories import UserFactory
from learners.models import CourseTrainer, User
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page, click_and_wait, screenshot

pytestmark = E2E

INVITED = "baru@instansi.go.id"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_trainer_imports_a_list_invitations_are_emailed_and_the_invited_person_joins(
    page: Page, context, provider, sign_in, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
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
    # Three more members who have not started: the summary counts them as not started.
    quiet = [UserFactory(full_name=f"Peserta Diam {n}") for n in range(3)]
    sign_in(trainer)

    page.goto(f"/pelatih/kelas/{cohort.pk}/peserta/")
    check_page(page)
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "peserta.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "nip;email\n;budi@instansi.go.id\n198609262015052001;\n"
                    f";{INVITED}\n" + "".join(f";{person.email}\n" for person in quiet)
                ).encode(),
            }
        ],
    )
    page.get_by_role("button", name=_("Check the list")).click()
    page.wait_for_url(re.compile(rf"/pelatih/kelas/{cohort.pk}/impor/\d+/$"))
    check_page(page)
    screenshot(page, "cohort-import-check")
    # The dry run changed nothing and sent nothing.
    assert not CohortMembership.objects.filter(cohort=cohort).exists()
    assert mail.outbox == []
    click_and_wait(page, page.locator("main form.actions button[type=submit]"))
    assert CohortMembership.objects.filter(cohort=cohort).count() == 5

    # The unknown address got its invitation, from the platform, replying to the trainer.
    assert [message.to for message in mail.outbox] == [[INVITED]]
    invitation_mail = mail.outbox[0]
    assert invitation_mail.reply_to == [trainer.email]
    link = re.search(r"https?://\S+/undangan/\S+/", invitation_mail.body).group(0)

    # Budi has done one lesson: the table and the charts show it.
    from learners import progress

    lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()
    progress.lesson_complete(user=known, lesson=lesson)
    page.goto(f"/pelatih/kelas/{cohort.pk}/")
    table = page.locator("table.learners-table")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.locator("tr", has_text="Budi Santoso")).to_contain_text("25%")
    summary = page.locator("#summary-title + dl")
    expect(summary.locator("div", has_text=_("Not started"))).to_contain_text("4")
    charts = page.locator("main figure svg[role=img]")
    expect(charts).to_have_count(3)
    for index in range(3):
        assert charts.nth(index).get_attribute("aria-labelledby")
    # The status column (who is at risk) is in view without scrolling sideways on a laptop.
    status_header = table.locator("thead th", has_text=_("Status"))
    expect(status_header).to_be_visible()
    if viewport == "desktop":
        box = status_header.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280
        expect(table.locator("tr", has_text="Peserta Diam 0")).to_contain_text(_("At risk"))
    # The pending invitation is listed, with what the trainer can do about it.
    invitations = page.locator("section", has=page.locator("#invitations-title"))
    expect(invitations).to_contain_text(INVITED)
    expect(invitations.get_by_role("button", name=_("Send again"))).to_have_count(1)
    check_page(page)
    screenshot(page, "cohort")

    # The invited person, signed out, follows the link: sign-up with the address filled in.
    context.clear_cookies()
    page.goto(link)
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    expect(page.locator("#id_email")).to_have_value(INVITED)
    check_page(page)
    page.fill("#id_full_name", "Dewi Lestari")
    page.fill("#id_password1", "Belajar-Terus-2026")
    page.fill("#id_password2", "Belajar-Terus-2026")
    page.check("input[name=account_kind][value=non_asn]")
    click_and_wait(page, page.locator("main form.form button[type=submit]"))
    page.wait_for_url(f"**{course.url}")
    check_page(page)

    person = User.objects.get(email=INVITED)
    assert CohortMembership.objects.filter(
        cohort=cohort, enrollment__user=person, via=CohortMembership.Via.INVITATION
    ).exists()
    assert CohortInvitation.objects.get(cohort=cohort).accepted_at is not None
    assert person.emailaddress_set.get().verified

"""An assignment in a real browser: the learner hands in a PDF, the trainer grades it from the
course's queue on the rubric, and the learner sees the grade, the feedback and the lesson done."""

import re

import pytest
from playwright.sync_api import Page, expect

from assignments.factories import AssignmentPageFactory
from assignments.models import Submission
from courses.factories import course_with_lessons, provider_page_of
from courses.models import ModulePage
from learners.factories import UserFactory
from learners.models import CourseTrainer, LessonCompletion
from learners.services import enrollment_create
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page, click_and_wait, screenshot

pytestmark = E2E

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_learner_submits_a_file_the_trainer_grades_it_and_the_learner_sees_the_grade(
    page: Page, provider, sign_in, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    course = course_with_lessons(
        provider_page=provider_page_of(provider), title="Etika Pelayanan", modules=1
    )
    module = ModulePage.objects.child_of(course).first()
    assignment = AssignmentPageFactory(parent=module, title="Rencana aksi unit kerja")
    trainer = UserFactory(email="widyaiswara@instansi.go.id", full_name="Widyaiswara Satu")
    CourseTrainer.objects.create(course=course, user=trainer)
    learner = UserFactory(email="budi@instansi.go.id", full_name="Budi Santoso")
    enrollment_create(user=learner, course=course)

    # The learner hands in a short answer and a PDF.
    sign_in(learner)
    page.goto(assignment.url)
    check_page(page)
    page.get_by_label(_("Your answer")).fill("Rencana aksi untuk loket pelayanan.")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "rencana-aksi.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    click_and_wait(page, page.get_by_role("button", name=_("Submit")))
    expect(page.get_by_text(_("Your work is waiting for the trainer's grade."))).to_be_visible()
    expect(page.get_by_role("link", name="rencana-aksi.pdf")).to_be_visible()
    screenshot(page, f"assignment-submitted-{viewport}")
    submission = Submission.objects.get(user=learner)

    # The trainer finds it in the course's queue and grades it on the rubric.
    sign_in(trainer)
    page.goto(f"/pelatih/kursus/{course.pk}/tugas/")
    check_page(page)
    expect(page.get_by_text("Budi Santoso")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name=_("Grade")))
    page.wait_for_url(re.compile(rf"/pelatih/tugas/{submission.pk}/$"))
    check_page(page)
    scores = page.locator("input[name^=score_]")
    scores.nth(0).fill("5")
    scores.nth(1).fill("4")
    page.get_by_label(_("Feedback")).fill("Rencana jelas dan terukur.")
    click_and_wait(page, page.get_by_role("button", name=_("Save")))
    expect(page.locator("[data-assignment-grade]")).to_contain_text("90%")
    screenshot(page, f"assignment-graded-{viewport}")

    # The learner sees the grade, the feedback and the lesson completed.
    sign_in(learner)
    page.goto(assignment.url)
    expect(page.locator("[data-assignment-grade]")).to_contain_text("90%")
    expect(page.get_by_text("Rencana jelas dan terukur.")).to_be_visible()
    expect(page.locator("[data-assignment-completed]")).to_be_visible()
    check_page(page)
    assert LessonCompletion.objects.filter(
        enrollment__user=learner, lesson=assignment, source=LessonCompletion.Source.ASSIGNMENT
    ).exists()

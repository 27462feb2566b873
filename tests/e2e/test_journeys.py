"""The main journeys in a real browser: a learner from sign-up to a verified certificate, an editor
and a moderator publishing a course through the workflow, a trainer importing a cohort list."""

import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import ImageOps
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader
from wagtail.models import Page as WagtailPage

from assessments.models import QuizPage
from cohorts.models import CohortMembership
from cohorts.services import cohort_create
from content.factories import CompetencyFactory
from courses.factories import ProviderFactory, course_with_lessons, provider_page_of
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import site_structure_ensure
from learners.factories import UserFactory
from learners.models import Certificate, CourseTrainer, LessonCompletion, User
from tests.assessments.quiz_helpers import correct_answers, course_with_quiz
from tests.e2e.helpers import E2E, click_and_wait, screenshot, sign_in_with_form

pytestmark = E2E

NIP = "19860926 201505 2 001"


def _(message: str) -> str:
    """The interface's text in Indonesian, the default language the browser gets."""
    with translation.override("id-id"):
        return gettext(message)


@pytest.fixture
def provider():
    site_structure_ensure()
    return ProviderFactory(name="Lembaga Administrasi Negara", short_name="LAN", slug="lan")


def answer_correctly(page: Page, quiz: QuizPage) -> None:
    """Fill the attempt form with every right answer (known from the stored quiz, never from the
    page, which does not carry them)."""
    for question_id, answer in correct_answers(quiz).items():
        if isinstance(answer, str):
            page.fill(f"#q-{question_id}", answer)
        else:
            for option_id in answer:
                page.check(f'input[name="q-{question_id}"][value="{option_id}"]')


def qr_url_of(pdf: bytes) -> str:
    """The URL in the certificate's QR code, read from the image embedded in the PDF."""
    for image in PdfReader(io.BytesIO(pdf)).pages[0].images:
        # The QR image has no quiet zone of its own (the page around it is): add one.
        picture = ImageOps.expand(image.image.convert("L"), border=40, fill=255)
        for barcode in zxingcpp.read_barcodes(picture):
            if barcode.format == zxingcpp.BarcodeFormat.QRCode:
                return barcode.text
    raise AssertionError("No QR code in the certificate PDF.")


def test_learner_signs_up_learns_passes_the_quiz_and_verifies_the_certificate(
    page: Page, provider, base_url, tmp_path
):
    course, _lesson, quiz = course_with_quiz(
        provider_page_of(provider), title="Budaya Anti Korupsi"
    )
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))

    page.goto("/")
    screenshot(page, "home")

    # Sign up, with a NIP.
    page.goto("/accounts/signup/")
    page.fill("#id_full_name", "Siti Rahmawati")
    page.fill("#id_email", "siti.rahmawati@kemendagri.go.id")
    page.fill("#id_password1", "Belajar-Terus-2026")
    page.fill("#id_password2", "Belajar-Terus-2026")
    page.check("input[name=account_kind][value=pns]")
    page.fill("#id_nip", NIP)
    page.select_option("#id_organization", str(provider.pk))
    page.fill("#id_rank_grade", "Penata, III/c")
    page.fill("#id_supervisor_name", "Budi Santoso")
    page.fill("#id_supervisor_email", "budi.santoso@kemendagri.go.id")
    click_and_wait(page, page.locator("main form.form button[type=submit]"))
    user = User.objects.get(email="siti.rahmawati@kemendagri.go.id")
    assert user.nip == "198609262015052001"
    expect(page.locator("nav.account-nav")).to_contain_text(_("Sign out"))

    # Confirm the e-mail address with the link allauth sent.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", base_url))
    click_and_wait(page, page.locator("main form button[type=submit]"))
    assert user.emailaddress_set.get().verified

    # Find the course through the catalog's search box.
    page.goto("/katalog/")
    page.fill("#search-q", "anti korupsi")
    click_and_wait(page, page.locator("form[role=search] button[type=submit]"))
    screenshot(page, "catalog-results")
    page.get_by_role("link", name="Budaya Anti Korupsi").first.click()
    page.wait_for_url(f"**{course.url}")
    screenshot(page, "course")

    # Enroll, then complete each lesson with its button.
    click_and_wait(page, page.get_by_role("button", name=_("Enroll now")))
    enrollment = user.enrollments.get()
    for index, lesson in enumerate(item for item in lessons if not hasattr(item, "quizpage")):
        page.goto(lesson.url)
        if index == 0:
            screenshot(page, "lesson")
        click_and_wait(
            page, page.locator(f'form[action$="/pelajaran/{lesson.pk}/selesai/"] button')
        )
        assert LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()

    # Take the quiz and pass it: the course completes and the certificate is issued.
    page.goto(quiz.url)
    screenshot(page, "quiz")
    page.locator(f'form[action$="/kuis/{quiz.pk}/mulai/"] button').click()
    page.wait_for_url(re.compile(r"/kuis/percobaan/\d+/$"))
    screenshot(page, "quiz-attempt")
    answer_correctly(page, quiz)
    page.get_by_role("button", name=_("Submit answers")).click()
    page.wait_for_url(re.compile(r"/hasil/$"))
    screenshot(page, "quiz-result")
    certificate = Certificate.objects.get(enrollment=enrollment)

    # Download the PDF from the course page and read its QR code.
    page.goto(course.url)
    with page.expect_download() as download_info:
        page.locator(f'a[href$="/sertifikat/{certificate.code}/pdf/"]').first.click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    verify_url = qr_url_of(pdf)
    assert verify_url == f"{base_url}/sertifikat/{certificate.code}/"

    page.goto("/saya/")
    screenshot(page, "my-learning")
    expect(page.locator("main")).to_contain_text(certificate.serial)

    # Anyone scanning the code sees a valid certificate with the holder's name, not the NIP.
    page.context.clear_cookies()
    page.goto(verify_url)
    expect(page.locator("h1")).to_have_text(_("Valid certificate"))
    expect(page.locator("main")).to_contain_text("Siti Rahmawati")
    expect(page.locator("main")).not_to_contain_text("198609262015052001")
    screenshot(page, "certificate-verification")


def submit_for_moderation(page: Page) -> None:
    """Wagtail's editor footer: open the actions menu, then "Submit to <workflow>"; the editor
    then leaves the form (it stays on it, with messages, when a field is invalid)."""
    form_url = page.url
    page.locator("footer .w-dropdown__toggle").first.click()
    click_and_wait(page, page.locator("button[name=action-submit]"))
    assert page.url != form_url, page.locator(".error-message, .help-critical").all_inner_texts()


def fill_title(page: Page, title: str) -> None:
    """Type a page title and leave the field; Wagtail's script then fills the slug from it."""
    page.fill("#id_title", title)
    page.keyboard.press("Tab")
    expect(page.locator("#id_slug")).not_to_have_value("")


def type_rich_text(page: Page, editor: Locator, text: str) -> None:
    """Type into a Draftail editor once it has the focus, and check that the text arrived."""
    editor.click()
    expect(editor).to_be_focused()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)


def test_editor_creates_a_course_the_moderator_publishes_it(page: Page, provider, settings):
    # No background autosave: the server thread and this one share a single SQLite connection
    # here, so a save racing this test's own queries would fail with "table is locked".
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    editor = UserFactory(email="editor@instansi.go.id", full_name="Editor LAN")
    editor.groups.add(provider.editors_group)
    moderator = UserFactory(email="moderator@instansi.go.id", full_name="Moderator LAN")
    moderator.groups.add(provider.moderators_group)
    competency = CompetencyFactory(name="Pelayanan Publik Digital")
    section = provider_page_of(provider)

    # The editor writes a course, a module and a lesson, and submits each for moderation.
    sign_in_with_form(page, editor.email)
    page.goto(f"/admin/pages/add/courses/coursepage/{section.pk}/")
    fill_title(page, "Pelayanan Prima Digital")
    page.fill("#id_summary", "Melayani warga lewat kanal digital.")
    type_rich_text(
        page,
        page.locator("[data-field-wrapper]:has(#id_description) [contenteditable=true]"),
        "Pelatihan daring tentang pelayanan publik digital.",
    )
    page.fill("#id_jp", "2")
    page.select_option("#id_level", "dasar")
    page.locator(
        "#id_course_competencies-0-competency-chooser button.chooser__choose-button"
    ).click()
    page.locator(".modal a", has_text=competency.name).first.click()
    expect(page.locator("#id_course_competencies-0-competency")).to_have_value(str(competency.pk))
    page.fill("#id_course_competencies-0-target_level", "2")
    screenshot(page, "admin-course-editor")
    submit_for_moderation(page)
    course = CoursePage.objects.get(title="Pelayanan Prima Digital")
    assert course.provider == provider and not course.live

    page.goto(f"/admin/pages/add/courses/modulepage/{course.pk}/")
    fill_title(page, "Modul 1: Kanal Digital")
    submit_for_moderation(page)
    module = ModulePage.objects.get(title="Modul 1: Kanal Digital")

    page.goto(f"/admin/pages/add/courses/lessonpage/{module.pk}/")
    fill_title(page, "Pelajaran 1: Layanan Daring")
    page.fill("#id_estimated_minutes", "20")
    page.locator("[data-contentpath=body] button.c-sf-add-button").first.click()
    page.get_by_role("option", name=_("Text"), exact=True).click()
    type_rich_text(
        page,
        page.locator("[data-contentpath=body] [contenteditable=true]").first,
        "Warga kini mengurus layanan lewat kanal daring.",
    )
    screenshot(page, "admin-lesson-editor")
    submit_for_moderation(page)
    lesson = LessonPage.objects.get(title="Pelajaran 1: Layanan Daring")
    pages = [course, module, lesson]
    assert all(item.current_workflow_state.status == "in_progress" for item in pages)
    published = WagtailPage.objects.filter(pk__in=[item.pk for item in pages])
    assert not any(published.values_list("live", flat=True))

    # Nothing is public yet.
    page.context.clear_cookies()
    page.goto("/katalog/")
    expect(page.locator("main")).not_to_contain_text("Pelayanan Prima Digital")

    # The organization's moderator approves each page, which publishes it.
    sign_in_with_form(page, moderator.email)
    for item in pages:
        page.goto(f"/admin/pages/{item.pk}/edit/")
        page.locator("footer .w-dropdown__toggle").first.click()
        click_and_wait(
            page,
            page.locator(
                "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
            ),
        )
    assert all(published.values_list("live", flat=True))

    page.goto("/katalog/")
    page.get_by_role("link", name="Pelayanan Prima Digital").first.click()
    page.wait_for_url(f"**/{course.slug}/")
    expect(page.locator("main")).to_contain_text("Pelajaran 1: Layanan Daring")


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

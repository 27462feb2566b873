"""A learner in a real browser: from sign-up to a verified certificate."""

import io
import re

import zxingcpp
from django.core import mail
from PIL import ImageOps
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments.models import QuizPage
from courses.factories import provider_page_of
from courses.models import LessonPage
from learners.models import Certificate, LessonCompletion, User
from tests.assessments.quiz_helpers import correct_answers, course_with_quiz
from tests.e2e.helpers import E2E, _, click_and_wait, screenshot

pytestmark = E2E

NIP = "19860926 201505 2 001"


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

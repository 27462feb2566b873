"""A learner in a real browser, on a phone and on a desktop: from sign-up to a verified
certificate that prints the post-test's pass band (predikat)."""

import io
import re

import pytest
import zxingcpp
from django.core import mail
from PIL import ImageOps
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from courses.factories import provider_page_of
from courses.models import LessonPage
from learners.models import Certificate, LessonCompletion, User
from quizzes.models import QuizPage
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page, click_and_wait, screenshot
from tests.quizzes.quiz_helpers import correct_answers, course_with_quiz

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


def pdf_text(pdf: bytes) -> str:
    """The certificate's text as a reader copies it, whitespace collapsed."""
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_learner_signs_up_learns_passes_the_post_test_and_verifies_the_certificate(
    page: Page, provider, base_url, tmp_path, viewport
):
    # The post-test as an editor leaves it: closed until the lessons are done (the default).
    course, _lesson, quiz = course_with_quiz(
        provider_page_of(provider), title="Budaya Anti Korupsi", requires_lessons_completed=True
    )
    assert quiz.role == QuizPage.Role.POST_TEST
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    page.set_viewport_size(VIEWPORTS[viewport])

    def shown(name: str) -> None:
        """Check the page at this viewport (axe, tap targets, no sideways scroll); the
        desktop run also saves the screenshots (at both sizes)."""
        check_page(page, name=name)
        if viewport == "desktop":
            screenshot(page, name)

    page.goto("/")
    shown("home")

    # Sign up, with a NIP.
    page.goto("/accounts/signup/")
    shown("signup")
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
    shown("confirm-email")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    assert user.emailaddress_set.get().verified

    # Find the course through the catalog's search box.
    page.goto("/katalog/")
    shown("catalog")
    page.fill("#search-q", "anti korupsi")
    click_and_wait(page, page.locator("form[role=search] button[type=submit]"))
    shown("catalog-results")
    page.get_by_role("link", name="Budaya Anti Korupsi").first.click()
    page.wait_for_url(f"**{course.url}")
    shown("course")

    # Enroll, then complete each lesson with its button.
    click_and_wait(page, page.get_by_role("button", name=_("Enroll now")))
    shown("course-enrolled")
    enrollment = user.enrollments.get()
    for index, lesson in enumerate(item for item in lessons if not hasattr(item, "quizpage")):
        page.goto(lesson.url)
        shown("lesson" if index == 0 else f"lesson-{index + 1}")
        click_and_wait(
            page, page.locator(f'form[action$="/pelajaran/{lesson.pk}/selesai/"] button')
        )
        assert LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()

    # Take the post-test and pass it with every answer right: the course completes and the
    # certificate is issued with the top pass band.
    page.goto(quiz.url)
    shown("quiz")
    page.locator(f'form[action$="/kuis/{quiz.pk}/mulai/"] button').click()
    page.wait_for_url(re.compile(r"/kuis/percobaan/\d+/$"))
    shown("quiz-attempt")
    answer_correctly(page, quiz)
    # Passing completes the course and issues the certificate in this request (the tests run
    # background tasks at once, the PDF included): allow for a busy machine.
    with page.expect_navigation(url=re.compile(r"/hasil/$"), timeout=60_000):
        page.get_by_role("button", name=_("Submit answers")).click(timeout=60_000)
    shown("quiz-result")
    expect(page.locator("main")).to_contain_text("Sangat Baik")
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.pass_band == "Sangat Baik"

    # Download the PDF from the course page: it prints the pass band, and its QR code points
    # to the verification page.
    page.goto(course.url)
    shown("course-completed")
    with page.expect_download() as download_info:
        page.locator(f'a[href$="/sertifikat/{certificate.code}/pdf/"]').first.click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert "dengan predikat Sangat Baik" in pdf_text(pdf)
    verify_url = qr_url_of(pdf)
    assert verify_url == f"{base_url}/sertifikat/{certificate.code}/"

    page.goto("/saya/")
    shown("my-learning")
    expect(page.locator("main")).to_contain_text(certificate.serial)

    # Anyone scanning the code sees a valid certificate with the holder's name, not the NIP.
    page.context.clear_cookies()
    page.goto(verify_url)
    expect(page.locator("h1")).to_have_text(_("Valid certificate"))
    expect(page.locator("main")).to_contain_text("Siti Rahmawati")
    expect(page.locator("main")).not_to_contain_text("198609262015052001")
    pass_band = page.locator("dl.facts div").filter(has_text=_("Pass band"))
    expect(pass_band.locator("dd")).to_have_text("Sangat Baik")
    shown("certificate-verification")

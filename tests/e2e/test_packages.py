"""Packages played in the browser to the end: a SCORM 1.2 course left halfway and resumed, a
SCORM 2004 course of two SCOs moved through by its own navigation request, and an H5P quiz
answered to a score. Each completes its lesson through the server, which the page shows
(data-lesson-completed), and the last lesson of a course brings its certificate.

The packages are built by `packages.samples` and imported as an editor's upload is; the package
origins are the loopback twin of the live server (localhost serves the site, each package
its own p-<uuid hex>.localhost)."""

import pytest
from playwright.sync_api import Page, expect

from learners import services
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment, LessonCompletion
from packages import samples
from tests.e2e.helpers import E2E, _
from tests.e2e.package_helpers import (
    PLAYER,
    commits,
    course_with_package,
    lesson_open,
    runtime_quiet,
    stored,
    wait_for,
)

pytestmark = E2E


@pytest.fixture
def learner():
    return UserFactory(full_name="Rina Kusuma")


def enrolled(learner, course) -> Enrollment:
    enrollment, _created = services.enrollment_create(user=learner, course=course)
    return enrollment


def lesson_completed(page: Page) -> None:
    expect(page.locator(f'{PLAYER}[data-lesson-completed="true"]')).to_be_attached(timeout=20_000)


def certificate_shown(page: Page, enrollment: Enrollment) -> None:
    """The course is completed and its page offers the certificate."""
    certificate = wait_for(
        lambda: Certificate.objects.filter(enrollment=enrollment).first(),
        message="no certificate issued",
    )
    page.goto(enrollment.course.url)
    expect(page.locator(f'a[href$="/sertifikat/{certificate.code}/pdf/"]').first).to_be_visible()
    link = page.get_by_role("link", name=_("Download certificate (PDF)"))
    expect(link.first).to_be_visible()


def test_scorm12_left_halfway_resumes_then_passes_and_brings_the_certificate(
    page: Page, provider, learner, sign_in
):
    course, lesson = course_with_package(
        provider,
        samples.scorm12_single_sco(),
        title="Keamanan Informasi Dasar",
        lesson_title="Kata Sandi yang Aman",
    )
    enrollment = enrolled(learner, course)
    sign_in(learner)

    sco = lesson_open(page, lesson)
    expect(sco.locator("#page-number")).to_have_text("Halaman 1 dari 3")
    # The runtime gives the SCO the learner's name as SCORM writes it.
    expect(sco.locator("#learner")).to_contain_text("Kusuma")
    sco.get_by_role("button", name="Berikutnya").click()
    expect(sco.locator("#page-number")).to_have_text("Halaman 2 dari 3")
    state = stored(lesson, "ITEM-1", lambda s: s.cmi.get("core", {}).get("lesson_location") == "2")
    assert state.completion_status == "incomplete"
    assert '"page":2' in state.cmi["suspend_data"]

    # Leave halfway, come back: the SCO opens at page 2.
    page.goto(course.url)
    sco = lesson_open(page, lesson)
    expect(sco.locator("#page-number")).to_have_text("Halaman 2 dari 3")
    expect(sco.locator("#status")).to_have_text("Dilanjutkan dari halaman 2.")
    assert not LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()

    sco.get_by_role("button", name="Berikutnya").click()
    expect(sco.locator("#page-number")).to_have_text("Halaman 3 dari 3")
    sco.get_by_label("kopi-pagi-di-balai-kota-2026").check()
    sco.get_by_label("Menolak dan menawarkan cara lain yang resmi").check()
    sco.get_by_label("Tidak, satu kata sandi untuk satu layanan").check()
    sco.get_by_role("button", name="Periksa jawaban").click()
    expect(sco.locator("#result")).to_have_text("Nilai Anda: 100 (lulus)")

    lesson_completed(page)
    state = stored(lesson, "ITEM-1", lambda s: s.success_status == "passed")
    assert state.score_raw == 100
    assert LessonCompletion.objects.filter(
        enrollment=enrollment, lesson=lesson, source=LessonCompletion.Source.PACKAGE
    ).exists()
    # The SCO's exit button ends its session (LMSFinish): the last commit says so.
    sco.get_by_role("button", name="Keluar").click()
    wait_for(lambda: commits(lesson, terminate=True), message="LMSFinish was not committed")
    certificate_shown(page, enrollment)
    runtime_quiet(page, lesson)


def test_scorm2004_moves_to_the_next_sco_by_its_request_resumes_and_completes(
    page: Page, provider, learner, sign_in
):
    course, lesson = course_with_package(
        provider,
        samples.scorm2004_multi_sco(),
        title="Pelayanan Publik Digital",
        lesson_title="Standar Pelayanan Publik",
    )
    enrollment = enrolled(learner, course)
    sign_in(learner)

    sco = lesson_open(page, lesson)
    expect(sco.locator("h1")).to_have_text("Pengantar Pelayanan Publik Digital")
    sco.get_by_role("button", name="Berikutnya").click()
    expect(sco.locator("#page-number")).to_have_text("Halaman 2 dari 2")
    intro = stored(lesson, "ITEM-INTRO", lambda s: s.completion_status == "completed")
    assert float(intro.cmi["progress_measure"]) == 1

    # The SCO asks for the next one (adl.nav.request "continue") and terminates.
    sco.get_by_role("button", name="Lanjut ke bagian berikutnya").click()
    expect(sco.locator("h1")).to_have_text("Latihan Standar Pelayanan")
    expect(sco.locator("#page-number")).to_have_text("Halaman 1 dari 3")
    sco.get_by_role("button", name="Berikutnya").click()
    expect(sco.locator("#page-number")).to_have_text("Halaman 2 dari 3")
    stored(lesson, "ITEM-PRACTICE", lambda s: s.cmi.get("location") == "2")

    # Leave halfway through the second SCO: the lesson resumes there.
    page.goto(course.url)
    sco = lesson_open(page, lesson)
    expect(sco.locator("h1")).to_have_text("Latihan Standar Pelayanan")
    expect(sco.locator("#page-number")).to_have_text("Halaman 2 dari 3")
    expect(sco.locator("#status")).to_have_text("Dilanjutkan dari halaman 2.")
    assert not LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()
    # The lesson's outline lists both SCOs, the first completed, the second where it resumed.
    outline = page.locator(".package-outline")
    intro_item = outline.locator('[data-package-item="ITEM-INTRO"]')
    practice_item = outline.locator('[data-package-item="ITEM-PRACTICE"]')
    expect(intro_item).to_have_attribute("data-completion-status", "completed")
    expect(practice_item).to_have_attribute("aria-current", "step")

    # Choosing an item in the outline launches it (a choice request); back to the practice,
    # it resumes at its page.
    intro_item.get_by_role("button").click()
    expect(sco.locator("h1")).to_have_text("Pengantar Pelayanan Publik Digital")
    practice_item.get_by_role("button").click()
    expect(sco.locator("h1")).to_have_text("Latihan Standar Pelayanan")
    expect(sco.locator("#page-number")).to_have_text("Halaman 2 dari 3")

    sco.get_by_role("button", name="Berikutnya").click()
    sco.get_by_label("Persyaratan, prosedur, waktu, biaya dan pengaduan").check()
    sco.get_by_label("Di tempat yang mudah dilihat warga").check()
    sco.get_by_label("Ya, salurannya saja yang berbeda").check()
    sco.get_by_role("button", name="Periksa jawaban").click()
    expect(sco.locator("#result")).to_have_text("Nilai Anda: 100 (lulus)")

    lesson_completed(page)
    practice = stored(lesson, "ITEM-PRACTICE", lambda s: s.success_status == "passed")
    assert practice.completion_status == "completed"
    assert practice.score_scaled == 1
    # "Selesai" asks to exit all (adl.nav.request exitAll) and terminates the SCO.
    terminated = commits(lesson, terminate=True)
    sco.get_by_role("button", name="Selesai").click()
    wait_for(lambda: commits(lesson, terminate=True) > terminated, message="no Terminate commit")
    certificate_shown(page, enrollment)
    runtime_quiet(page, lesson)


def test_h5p_quiz_answered_to_a_score_completes_the_lesson(page: Page, provider, learner, sign_in):
    course, lesson = course_with_package(
        provider,
        samples.h5p_quiz(),
        title="Pengembangan Kompetensi ASN",
        lesson_title="Kuis Pengembangan Kompetensi",
        name="kuis.h5p",
        pass_mark=60,
    )
    enrollment = enrolled(learner, course)
    sign_in(learner)

    quiz = lesson_open(page, lesson)
    expect(quiz.locator(".h5p-lentera-quiz h2")).to_have_text("Kuis Pengembangan Kompetensi")
    quiz.get_by_label("Jam Pelajaran").check()
    # Half-answered: the content's "interacted" statement saves its state, without completing.
    half = stored(lesson, "h5p", lambda s: '"q0"' in s.cmi.get("state", ""))
    assert half.completion_status == "incomplete" and half.score_raw is None
    runtime_quiet(page, lesson)
    page.goto(course.url)
    # Back on the lesson, the answer given stands and the quiz goes on from there.
    quiz = lesson_open(page, lesson)
    expect(quiz.get_by_label("Jam Pelajaran")).to_be_checked()
    expect(quiz.get_by_label("20 JP")).not_to_be_checked()
    assert not LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()
    quiz.get_by_label("20 JP").check()
    # One wrong answer of three: 2/3 passes a 60 % mark.
    quiz.get_by_label("Pegawai sendiri saja").check()
    quiz.get_by_role("button", name="Periksa").click()
    expect(quiz.locator(".h5p-lentera-quiz-result")).to_have_text("Skor: 2/3 (lulus)")

    lesson_completed(page)
    state = stored(lesson, "h5p", lambda s: s.score_raw is not None)
    assert (state.score_raw, state.score_max) == (2, 3)
    assert state.success_status == "passed"
    assert LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()

    # The content's state came with its statements: back on the lesson, the answers stand.
    quiz = lesson_open(page, lesson)
    expect(quiz.get_by_label("Jam Pelajaran")).to_be_checked()
    expect(quiz.get_by_label("Pegawai sendiri saja")).to_be_checked()
    expect(quiz.locator(".h5p-lentera-quiz-result")).to_have_text("Skor: 2/3 (lulus)")
    certificate_shown(page, enrollment)
    runtime_quiet(page, lesson)


def test_h5p_quiz_below_the_pass_mark_leaves_the_lesson_open(
    page: Page, provider, learner, sign_in
):
    course, lesson = course_with_package(
        provider,
        samples.h5p_quiz(),
        title="Pengembangan Kompetensi ASN",
        lesson_title="Kuis Pengembangan Kompetensi",
        name="kuis.h5p",
        pass_mark=100,
    )
    enrollment = enrolled(learner, course)
    sign_in(learner)

    quiz = lesson_open(page, lesson)
    quiz.get_by_label("Jam Pelajaran").check()
    quiz.get_by_label("10 JP").check()
    quiz.get_by_label("Instansi bersama pegawai").check()
    quiz.get_by_role("button", name="Periksa").click()
    expect(quiz.locator(".h5p-lentera-quiz-result")).to_contain_text("Skor: 2/3")
    # Both statements, "answered" and "completed", are recorded (beside the state saves of the
    # answers given); neither passes the mark.
    state = stored(lesson, "h5p", lambda s: s.score_raw is not None and s.session_count == 2)
    assert commits(lesson) >= 3
    assert state.score_raw == 2
    assert state.success_status == "failed"
    expect(page.locator(PLAYER)).not_to_have_attribute("data-lesson-completed", "true")
    assert not LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()
    runtime_quiet(page, lesson)

"""Accessibility in a real browser: on the main pages, at phone and desktop size, axe-core finds no
WCAG 2.1 A/AA violation, every tap target is at least 24x24 CSS px (WCAG 2.2 2.5.8) and nothing
scrolls sideways (`check_page`); a lesson can be completed with the keyboard alone; and every page
reflows at 320 CSS pixels (WCAG 1.4.10), tables excepted inside their own scroll container."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from coaching.factories import CoachingAgreementFactory
from cohorts.members import cohort_members_add
from cohorts.services import cohort_create
from content.factories import OrganizationFactory
from courses.factories import ProviderFactory, course_with_lessons, provider_page_of
from courses.models import LessonPage
from courses.services import site_structure_ensure
from development.factories import DevelopmentRecordFactory, form_of
from learners import progress, services
from learners.factories import UserFactory
from learners.models import Certificate, CourseTrainer, LessonCompletion
from paths.factories import activity_step, course_step, learning_path
from paths.services import path_follow
from planning.factories import DevelopmentPlanFactory, PlanItemFactory
from quizzes import services as quiz_services
from quizzes.models import QuizPage
from tests.e2e.helpers import E2E, OVERFLOWING, VIEWPORTS, check_page
from tests.quizzes.quiz_helpers import course_with_quiz

pytestmark = E2E


@pytest.fixture
def pages(sign_in):
    """A learner enrolled (through a trainer's cohort) in a course with a quiz, holding a
    certificate from another course; and the URL of every page to check, by who sees it."""
    site_structure_ensure()
    provider = ProviderFactory(name="Lembaga Administrasi Negara", short_name="LAN", slug="lan")
    provider_page = provider_page_of(provider)
    course, lesson, quiz = course_with_quiz(provider_page, title="Budaya Anti Korupsi")
    finished = course_with_lessons(
        provider_page=provider_page, title="Etika Pelayanan", modules=1, lessons_per_module=1
    )
    learner = UserFactory(
        email="siti.rahmawati.panjang.sekali@kementerian-dalam-negeri.go.id",
        full_name="Siti Rahmawati",
        nip="198609262015052001",
    )
    services.enrollment_create(user=learner, course=finished)
    for done in LessonPage.objects.live().descendant_of(finished):
        progress.lesson_complete(user=learner, lesson=done)
    certificate = Certificate.objects.get(enrollment__user=learner)

    trainer = UserFactory(email="widyaiswara@instansi.go.id", full_name="Widyaiswara Satu")
    CourseTrainer.objects.create(course=course, user=trainer)
    cohort = cohort_create(
        course=course,
        name="Angkatan I",
        starts_on=timezone.localdate() - timedelta(days=14),
        ends_on=timezone.localdate() + timedelta(days=15),
        created_by=trainer,
    )
    cohort_members_add(cohort=cohort, users=[learner], added_by=trainer)
    attempt = quiz_services.attempt_start(user=learner, quiz=QuizPage.objects.get(pk=quiz.pk))

    # Issue 16's pages: a civil servant with a confirmed supervisor, a record waiting, a plan, a
    # coaching agreement and a learning path; their supervisor's and HR's views of them.
    agency = OrganizationFactory(name="Kementerian Dalam Negeri", short_name="Kemendagri")
    hr = UserFactory(
        email="sdm@kemendagri.go.id",
        full_name="Admin SDM",
        asn=True,
        organization=agency,
        admin_of=agency,
    )
    supervisor = UserFactory(
        email="atasan@kemendagri.go.id", full_name="Budi Santoso", asn=True, organization=agency
    )
    staff = UserFactory(
        email="rina.wulandari@kemendagri.go.id",
        full_name="Rina Wulandari",
        asn=True,
        organization=agency,
        supervised_by=supervisor,
    )
    DevelopmentRecordFactory(owner=staff, title="Lokakarya Analisis Kebijakan")
    plan = DevelopmentPlanFactory(user=staff)
    PlanItemFactory(plan=plan, title="Seminar Kebijakan Publik")
    CoachingAgreementFactory(coachee=staff, coach=supervisor)
    path = learning_path(
        provider_page=provider_page,
        steps=[course_step(course), activity_step(form_of("mentoring"), min_jp="2")],
        title="Menuju Analis Kebijakan Ahli Muda",
    )
    path_follow(user=staff, path=path)
    return SimpleNamespace(
        learner=learner,
        trainer=trainer,
        staff=staff,
        supervisor=supervisor,
        hr=hr,
        lesson=lesson,
        quiz=QuizPage.objects.get(pk=quiz.pk),
        urls={
            "anonymous": {
                "sign-up": "/accounts/signup/",
                "sign-in": "/accounts/login/",
                "home": "/",
                # With results: the page is checked with what it is for.
                "catalog with results": ("/katalog/?q=korupsi", course.title),
                "search results": ("/cari/?q=korupsi", course.title),
                "certificate verification": f"/sertifikat/{certificate.code}/",
            },
            "learner": {
                "course": course.url,
                "lesson": lesson.url,
                "quiz": quiz.url,
                "quiz attempt": f"/kuis/percobaan/{attempt.pk}/",
                "my learning": "/saya/",
            },
            "trainer": {
                "cohort": f"/pelatih/kelas/{cohort.pk}/",
                "cohort, add learners": f"/pelatih/kelas/{cohort.pk}/peserta/",
            },
            "staff": {
                "development records": "/saya/pengembangan/",
                "new development record": "/saya/pengembangan/baru/",
                "competency profile": "/saya/kompetensi/",
                "development plans": "/saya/rencana/",
                "development plan": f"/saya/rencana/{plan.pk}/",
                "coaching": "/saya/pembimbingan/",
                "learning paths": "/jalur-belajar/",
                "learning path": (path.url, path.title),
            },
            "supervisor": {
                "my team": ("/saya/tim/", staff.full_name),
                "team member": f"/saya/tim/{staff.pk}/",
                "verification queue": "/saya/pengembangan/verifikasi/",
                "member's competency profile": f"/saya/kompetensi/{staff.pk}/",
                "team's plans": "/saya/rencana/tim/",
            },
            "hr": {
                "person's JP": f"/kepatuhan/{agency.pk}/pegawai/{staff.pk}/",
                "SIASN export": f"/kepatuhan/{agency.pk}/siasn/",
                "reminders": f"/kepatuhan/{agency.pk}/pengingat/",
            },
        },
        sign_in=sign_in,
    )


def visit_all(page: Page, pages: SimpleNamespace, check) -> dict[str, object]:
    """Open every page as the person who sees it; collect what `check` finds wrong on each."""
    problems = {}
    for who, urls in pages.urls.items():
        page.context.clear_cookies()
        if who != "anonymous":
            pages.sign_in(getattr(pages, who))
        for name, url in urls.items():
            url, expected = url if isinstance(url, tuple) else (url, "")
            response = page.goto(url)
            assert response.ok, f"{name}: {url} answered {response.status}"
            assert expected in page.locator("main").inner_text(), f"{name}: no {expected!r}"
            found = check(page)
            if found:
                problems[f"{name} ({url})"] = found
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_main_pages_pass_axe_tap_target_and_reflow_checks(page: Page, pages, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])

    def problems_on(page: Page) -> list[str]:
        try:
            check_page(page)
        except AssertionError as failure:
            return [str(failure)]
        return []

    problems = visit_all(page, pages, problems_on)
    assert not problems, "\n".join(f"{name}:\n{found[0]}" for name, found in problems.items())


def test_every_page_reflows_at_320_css_pixels(page: Page, pages):
    page.set_viewport_size({"width": 320, "height": 640})

    def overflow(page: Page) -> list[str]:
        if page.evaluate("document.documentElement.scrollWidth") <= 320:
            return []
        return page.evaluate(OVERFLOWING) or ["(document wider than 320 px)"]

    problems = visit_all(page, pages, overflow)
    assert not problems, "\n".join(f"{name}: {found}" for name, found in problems.items())


def test_a_lesson_can_be_completed_with_the_keyboard_alone(page: Page, pages):
    pages.sign_in(pages.learner)
    page.goto(pages.lesson.url)
    button = page.locator(f'form[action$="/pelajaran/{pages.lesson.pk}/selesai/"] button')
    for _presses in range(60):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the mark-as-done button.")
    # The focus is visible: the browser applies :focus-visible and the style draws an outline.
    assert button.evaluate("element => element.matches(':focus-visible')")
    outline = button.evaluate(
        "element => { const style = getComputedStyle(element);"
        " return [style.outlineStyle, parseFloat(style.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] > 0, outline
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert LessonCompletion.objects.filter(
        enrollment__user=pages.learner, lesson=pages.lesson
    ).exists()

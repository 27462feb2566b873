"""Demo data for the evaluation loop, so every report shows real numbers on a fresh `make run`:
learners who took the courses with pre- and post-tests (L2), their reaction surveys (L1),
supervisor follow-ups (L3), learning needs with endorsements, and public feedback on service
units with aspects mapped to competencies.

`seed_evaluation()` needs the demo accounts (`seed_accounts`, `seed_learning`) and, for the
learning gain, the demo quizzes (`demo.quizzes.seed_quizzes`): call it after both. Everything
is looked up before it is created, so a second run creates nothing. The extra learners have no
usable password: they exist for the reports, not to sign in.
"""

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from content.models import Competency, Organization
from courses.models import CoursePage, LessonPage
from evaluation import followup_links, services
from evaluation.models import (
    BehaviourFollowUp,
    FeedbackAspect,
    LearningNeed,
    PublicFeedback,
    ServiceUnit,
)
from learners import progress as learner_progress
from learners import services as learner_services
from learners.errors import LearningError
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment, LessonCompletion, User
from quizzes.models import QuizAttempt, QuizPage
from quizzes.services import attempt_start, attempt_submit

HR_EMAIL = "hr.kemenpanrb@lentera.localhost"
ADMIN_EMAIL = "admin@lentera.localhost"


@dataclass(frozen=True)
class Journey:
    """One extra learner's course: how much they get right before and after, how long ago
    they finished, and what they said about it."""

    email: str
    full_name: str
    course: str
    # Share of the questions answered right (%) in the pre-test and the (last) post-test.
    pre_percent: int
    post_percent: int
    days_ago: int
    scores: tuple[int, int, int, int, int] | None
    comment: str = ""


JOURNEYS = [
    Journey(
        "rahmat.demo@lentera.localhost",
        "Rahmat Hidayat",
        "integritas-dan-antikorupsi-asn",
        40,
        100,
        120,
        (5, 4, 5, 4, 5),
        "Studi kasus gratifikasi sangat dekat dengan pekerjaan sehari-hari di loket.",
    ),
    Journey(
        "ayu.demo@lentera.localhost",
        "Ayu Permatasari",
        "integritas-dan-antikorupsi-asn",
        20,
        80,
        100,
        (4, 4, 4, 3, 4),
        "Video sempat tersendat di jaringan kantor, tetapi materinya jelas.",
    ),
    Journey(
        "fajar.demo@lentera.localhost",
        "Fajar Nugroho",
        "integritas-dan-antikorupsi-asn",
        60,
        100,
        20,
        (5, 5, 4, 5, 5),
    ),
    Journey(
        "wulan.demo@lentera.localhost",
        "Wulan Sari",
        "pelayanan-publik-prima-berbasis-skm",
        40,
        90,
        110,
        (5, 4, 4, 4, 5),
        "Contoh survei kepuasan masyarakat langsung bisa kami pakai di unit layanan.",
    ),
    Journey(
        "teguh.demo@lentera.localhost",
        "Teguh Santoso",
        "pelayanan-publik-prima-berbasis-skm",
        20,
        75,
        45,
        (4, 3, 3, 2, 4),
        "Forum diskusinya kurang aktif; fasilitator jarang menanggapi.",
    ),
    Journey(
        "nina.demo@lentera.localhost",
        "Nina Kartika",
        "pelayanan-publik-prima-berbasis-skm",
        60,
        85,
        12,
        None,
    ),
]

# (learner e-mail, competency code, current, target, priority, reason, appraisal, outcome)
NEEDS = [
    (
        "peserta1@lentera.localhost",
        "M.03",
        2,
        3,
        "high",
        "Menyusun bahan sosialisasi kebijakan pelayanan publik untuk pemerintah daerah.",
        "SKP 2026, indikator kinerja 2",
        "endorsed",
    ),
    (
        "peserta1@lentera.localhost",
        "T.03",
        1,
        3,
        "medium",
        "Mengolah data survei kepuasan masyarakat dari unit layanan di daerah.",
        "",
        "submitted",
    ),
    (
        "peserta2@lentera.localhost",
        "T.04",
        1,
        3,
        "high",
        "Mengelola data pribadi ASN dalam sistem informasi kepegawaian.",
        "SKP 2026, indikator kinerja 1",
        "endorsed",
    ),
    (
        "peserta2@lentera.localhost",
        "T.05",
        0,
        2,
        "medium",
        "Ditugaskan sebagai anggota tim pengadaan perangkat kerja unit.",
        "",
        "endorsed",
    ),
    (
        "rahmat.demo@lentera.localhost",
        "M.05",
        3,
        4,
        "high",
        "Memimpin perbaikan standar pelayanan di loket terpadu.",
        "Hasil penilaian kinerja 2025: predikat Baik, catatan pelayanan",
        "endorsed",
    ),
    (
        "ayu.demo@lentera.localhost",
        "M.05",
        2,
        4,
        "medium",
        "Keluhan masyarakat tentang lamanya layanan meningkat di unit kami.",
        "",
        "endorsed",
    ),
    (
        "wulan.demo@lentera.localhost",
        "P.01",
        2,
        4,
        "high",
        "Mendampingi pemerintah daerah menerapkan tata kelola SPBE.",
        "",
        "endorsed",
    ),
    (
        "teguh.demo@lentera.localhost",
        "T.05",
        0,
        2,
        "high",
        "Menjadi pejabat pengadaan di unit kerja mulai tahun depan.",
        "",
        "endorsed",
    ),
    (
        "fajar.demo@lentera.localhost",
        "M.08",
        1,
        4,
        "low",
        "Ingin belajar pengambilan keputusan strategis.",
        "",
        "rejected",
    ),
    (
        "nina.demo@lentera.localhost",
        "M.02",
        1,
        2,
        "low",
        "Bekerja sama dengan unit lain dalam layanan terpadu.",
        "",
        "draft",
    ),
]

# key: (name, organization short name or None for every organization, competency codes)
ASPECTS = {
    "friendly": ("Keramahan dan sikap petugas", None, ["M.05", "M.01"]),
    "clear": ("Kejelasan informasi dan persyaratan", None, ["M.03"]),
    "fast": ("Kecepatan penyelesaian layanan", None, ["M.04"]),
    "digital": ("Kemampuan petugas menggunakan layanan digital", None, ["T.03", "T.04"]),
    "costs": ("Keterbukaan biaya dan pengadaan", "KemenPANRB", ["T.05"]),
}

# (organization short name, unit name, slug)
UNITS = [
    ("KemenPANRB", "Layanan Pengaduan dan Informasi Publik", "kemenpanrb-pengaduan"),
    ("LAN", "Layanan Sertifikasi Widyaiswara", "lan-sertifikasi-widyaiswara"),
]

KEMENPANRB, LAN = "kemenpanrb-pengaduan", "lan-sertifikasi-widyaiswara"
# (unit slug, rating, aspect keys, comment, days ago)
FEEDBACK = [
    (KEMENPANRB, 2, ["clear"], "Syaratnya berubah-ubah, tidak ada di situs.", 3),
    (KEMENPANRB, 3, ["fast"], "", 8),
    (KEMENPANRB, 4, [], "Petugas ramah dan sabar menjelaskan.", 12),
    (KEMENPANRB, 2, ["digital", "fast"], "Petugas tidak bisa membuka aplikasi pengaduan.", 20),
    (KEMENPANRB, 1, ["costs"], "Ada permintaan biaya tambahan yang tidak jelas.", 33),
    (KEMENPANRB, 5, [], "", 41),
    (KEMENPANRB, 3, ["clear"], "", 55),
    (KEMENPANRB, 2, ["friendly"], "Ditanggapi dengan ketus.", 70),
    (LAN, 4, ["fast"], "Proses verifikasi berkas cukup lama.", 6),
    (LAN, 5, [], "Sangat membantu.", 15),
    (LAN, 3, ["clear"], "", 28),
]


def _answers(quiz: QuizPage, right: int) -> dict:
    """Answers to `quiz` with the first `right` questions correct and the others wrong."""
    answers: dict = {}
    for number, question in enumerate(quiz.questions):
        block, value = question.block, question.value
        correct = block.correct_answer(value)
        if number < right:
            answers[question.id] = correct[0] if block.name == "short_answer" else correct
        elif block.name == "short_answer":
            answers[question.id] = "tidak tahu"
        else:
            wrong = [option_id for option_id, _ in block.option_items(value)]
            answers[question.id] = [next(o for o in wrong if o not in correct)]
    return answers


def _right(quiz: QuizPage, percent: int) -> int:
    return math.ceil(len(quiz.questions) * percent / 100)


def _take(user: User, quiz: QuizPage, right: int) -> QuizAttempt | None:
    try:
        attempt = attempt_start(user=user, quiz=quiz)
        return attempt_submit(user=user, attempt=attempt, answers=_answers(quiz, right))
    except LearningError:
        return None  # no attempt left: the demo goes on without it


def _backdate(enrollment: Enrollment, days: int) -> None:
    """Move a whole journey into the past, so delays (and the L3 follow-up) look real."""
    shift = timedelta(days=days)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        created_at=enrollment.created_at - shift - timedelta(days=14),
        started_at=(enrollment.started_at or enrollment.created_at) - shift - timedelta(days=14),
        completed_at=enrollment.completed_at - shift if enrollment.completed_at else None,
        ended_at=enrollment.ended_at - shift if enrollment.ended_at else None,
    )
    for attempt in QuizAttempt.objects.filter(enrollment=enrollment):
        QuizAttempt.objects.filter(pk=attempt.pk).update(
            started_at=attempt.started_at - shift,
            submitted_at=attempt.submitted_at - shift if attempt.submitted_at else None,
            deadline=attempt.deadline - shift if attempt.deadline else None,
        )
    for completion in LessonCompletion.objects.filter(enrollment=enrollment):
        LessonCompletion.objects.filter(pk=completion.pk).update(
            completed_at=completion.completed_at - shift
        )
    certificate = Certificate.objects.filter(enrollment=enrollment).first()
    if certificate is not None:
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_at=certificate.issued_at - shift,
            started_on=certificate.started_on - shift - timedelta(days=14),
            completed_on=certificate.completed_on - shift,
        )


def _journey(item: Journey, course: CoursePage, hr: User, report) -> None:
    user = UserFactory(
        email=item.email,
        full_name=item.full_name,
        account_kind=User.AccountKind.PNS,
        organization=hr.organization,
        supervisor=hr,
        supervisor_accepted_at=timezone.now(),
        supervisor_confirmed_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    enrollment, _created = learner_services.enrollment_create(user=user, course=course)
    quizzes = QuizPage.objects.live().descendant_of(course)
    for quiz in quizzes.filter(role=QuizPage.Role.PRE_TEST):
        _take(user, quiz, _right(quiz, item.pre_percent))
    for lesson in LessonPage.objects.live().descendant_of(course).exact_type(LessonPage):
        learner_progress.lesson_complete(user=user, lesson=lesson)
    for quiz in quizzes.filter(role=QuizPage.Role.POST_TEST):
        # One question fewer first: some learners pass only at their second attempt.
        attempt = _take(user, quiz, _right(quiz, item.post_percent) - 1)
        if attempt is None or not attempt.passed:
            _take(user, quiz, _right(quiz, item.post_percent))
    enrollment.refresh_from_db()
    if enrollment.status != Enrollment.Status.COMPLETED and not quizzes.exists():
        # A course without the demo quizzes (seed_quizzes not run) completes with its lessons;
        # if it has none that count, complete it as an administrator would.
        with transaction.atomic():
            locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
            learner_progress.course_complete(
                enrollment=locked, course=course, completed_at=timezone.now()
            )
        enrollment.refresh_from_db()
    if item.scores is not None and enrollment.status == Enrollment.Status.COMPLETED:
        relevance, material, facilitation, platform, applicability = item.scores
        services.course_evaluation_submit(
            enrollment=enrollment,
            user=user,
            relevance=relevance,
            material_quality=material,
            facilitation=facilitation,
            platform=platform,
            applicability=applicability,
            comment=item.comment,
        )
    _backdate(enrollment, item.days_ago)
    if report is not None:
        report.add("evaluation learners")


def _followups(enrollments: list[Enrollment], hr: User) -> None:
    """Supervisor follow-ups for completions past the course's delay: one answered, one not."""
    due = [
        enrollment
        for enrollment in enrollments
        if enrollment.completed_at
        <= timezone.now() - timedelta(days=enrollment.course.behaviour_followup_days)
    ]
    for number, enrollment in enumerate(due):
        if BehaviourFollowUp.objects.filter(enrollment=enrollment).exists():
            continue
        sent_at = enrollment.completed_at + timedelta(
            days=enrollment.course.behaviour_followup_days
        )
        followup = BehaviourFollowUp(
            enrollment=enrollment,
            supervisor=hr,
            recipient_email=hr.email,
            sent_at=sent_at,
            expires_at=sent_at + timedelta(days=followup_links.FOLLOWUP_LINK_VALID_DAYS),
        )
        competencies = enrollment.course.course_competencies.values_list("competency_id", flat=True)
        ratings = {str(pk): 4 + (number + index) % 2 for index, pk in enumerate(competencies)}
        if ratings and number % 3 != 2:  # two answered out of three
            followup.ratings = ratings
            followup.average_rating = (
                Decimal(sum(ratings.values())) / Decimal(len(ratings))
            ).quantize(Decimal("0.01"))
            followup.answered_at = sent_at + timedelta(days=2)
            followup.comment = (
                "Lebih tegas menolak pemberian dari pengguna layanan dan mengajak rekan "
                "melaporkan gratifikasi."
                if number == 0
                else "Mulai memakai hasil survei untuk memperbaiki alur layanan."
            )
        followup.full_clean()
        followup.save()


def _needs(hr: User, admin: User | None) -> None:
    for email, code, current, target, priority, reason, appraisal, outcome in NEEDS:
        user = User.objects.filter(email=email).first()
        competency = Competency.objects.filter(code=code).first()
        if user is None or competency is None:
            continue
        if LearningNeed.objects.filter(user=user, competency=competency).exists():
            continue
        need = services.learning_need_create(
            user=user,
            competency=competency,
            current_level=current,
            target_level=target,
            priority=priority,
            reason=reason,
            appraisal_reference=appraisal,
            submit=outcome != "draft",
        )
        endorser = user.supervisor or admin
        if outcome in ("endorsed", "rejected") and endorser is not None:
            services.learning_need_decide(
                need=need,
                decided_by=endorser,
                endorse=outcome == "endorsed",
                note=""
                if outcome == "endorsed"
                else "Fokuskan dulu pada kompetensi pelayanan tahun ini; usulkan lagi tahun depan.",
            )


def _public_feedback() -> None:
    organizations = {org.short_name: org for org in Organization.objects.all()}
    aspects = {}
    for key, (name, short_name, codes) in ASPECTS.items():
        organization = organizations.get(short_name) if short_name else None
        if short_name and organization is None:
            continue
        aspect, created = FeedbackAspect.objects.get_or_create(organization=organization, name=name)
        if created:
            aspect.competencies.set(Competency.objects.filter(code__in=codes))
        aspects[key] = aspect
    units = {}
    for short_name, name, slug in UNITS:
        if short_name not in organizations:
            continue
        units[slug], _ = ServiceUnit.objects.get_or_create(
            slug=slug, defaults={"organization": organizations[short_name], "name": name}
        )
    if PublicFeedback.objects.filter(unit__in=units.values()).exists():
        return
    for slug, rating, aspect_keys, comment, days_ago in FEEDBACK:
        if slug not in units:
            continue
        feedback = services.public_feedback_create(
            unit=units[slug],
            rating=rating,
            aspects=[aspects[key] for key in aspect_keys if key in aspects],
            comment=comment,
            client_hash=services.feedback_client_hash(f"demo-{slug}-{days_ago}"),
        )
        PublicFeedback.objects.filter(pk=feedback.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )


def _dewi_evaluates() -> None:
    """The demo learner's completed course gets its reaction survey too."""
    enrollment = (
        Enrollment.objects.filter(
            user__email="peserta1@lentera.localhost",
            status=Enrollment.Status.COMPLETED,
            evaluation_submitted_at__isnull=True,
        )
        .order_by("completed_at")
        .first()
    )
    if enrollment is not None:
        services.course_evaluation_submit(
            enrollment=enrollment,
            user=enrollment.user,
            relevance=5,
            material_quality=4,
            facilitation=4,
            platform=4,
            applicability=5,
            comment="Materi integritas relevan untuk tugas analis kebijakan.",
        )


@transaction.atomic
def seed_evaluation(report=None) -> None:
    """Seed L1-L3 results, learning needs and public feedback; creates nothing twice.

    `report` is `demo.builders.SeedReport` (anything with `add(kind, count)`).
    """
    hr = User.objects.filter(email=HR_EMAIL).first()
    if hr is None:
        return  # without the demo accounts there is nobody to evaluate
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    courses = {course.slug: course for course in CoursePage.objects.live()}
    for item in JOURNEYS:
        course = courses.get(item.course)
        if course is None or User.objects.filter(email=item.email).exists():
            continue
        _journey(item, course, hr, report)
    _followups(
        list(
            Enrollment.objects.filter(
                user__email__in=[item.email for item in JOURNEYS],
                status=Enrollment.Status.COMPLETED,
            ).select_related("course")
        ),
        hr,
    )
    _dewi_evaluates()
    _needs(hr, admin)
    _public_feedback()

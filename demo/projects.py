"""Demo change projects: the course on managing change runs as leadership training with a
cohort coached by the demo widyaiswara. Dewi's project is in progress (proposal approved by her
supervisor and her coach, the first milestone reported and accepted); Agus's project of last
year passed and is published in the public innovation gallery. Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cohorts.members import cohort_member_add
from cohorts.models import Cohort
from cohorts.services import cohort_create
from courses.models import CoursePage
from learners.models import User
from projects import services
from projects.models import ChangeProject, Milestone
from projects.services import MilestonePlan

COURSE = "budaya-kerja-berakhlak-dan-mengelola-perubahan"
COHORT = "Angkatan Kepemimpinan 2026"


@transaction.atomic
def seed_projects(report) -> None:
    """Seed the leadership cohort and its two projects once. `report` is
    `demo.builders.SeedReport`."""
    course = CoursePage.objects.live().filter(slug=COURSE).first()
    if course is None or ChangeProject.objects.exists():
        return
    CoursePage.objects.filter(pk=course.pk).update(requires_change_project=True)
    trainer = User.objects.get(email="widyaiswara@lentera.localhost")
    dewi = User.objects.get(email="peserta1@lentera.localhost")
    agus = User.objects.filter(full_name="Agus Prasetyo").first()
    today = timezone.localdate()
    cohort = Cohort.objects.filter(course=course, name=COHORT).first() or cohort_create(
        course=course,
        name=COHORT,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=90),
        created_by=trainer,
    )

    cohort_member_add(cohort=cohort, user=dewi, added_by=trainer)
    enrollment = dewi.enrollments.get(course=course)
    project = services.project_create(
        enrollment=enrollment,
        user=dewi,
        title="Antrean daring layanan kepegawaian",
        topic="public_service",
        problem=(
            "Pegawai mengantre berjam-jam di loket kepegawaian untuk mengurus kenaikan pangkat "
            "dan cuti; berkas sering kurang dan harus kembali esok hari."
        ),
        goals=(
            "Semua permohonan diajukan daring dengan daftar berkas yang jelas; waktu layanan "
            "turun dari 3 hari menjadi 1 hari kerja."
        ),
        stakeholders="Biro SDM, pegawai, atasan langsung, tim TI, Inspektorat.",
        milestones=[
            MilestonePlan(title="Pemetaan proses dan berkas", due_on=today + timedelta(days=7)),
            MilestonePlan(title="Uji coba formulir daring", due_on=today + timedelta(days=35)),
            MilestonePlan(title="Evaluasi dan penetapan SOP", due_on=today + timedelta(days=70)),
        ],
    )
    services.coach_assign(project=project, coach=trainer, assigned_by=trainer)
    services.project_submit(project=project, user=dewi)
    services.proposal_review(project=project, reviewer=dewi.supervisor, approve=True)
    services.proposal_review(
        project=project,
        reviewer=trainer,
        approve=True,
        comment="Usulan jelas. Ukur waktu layanan sebelum uji coba sebagai pembanding.",
    )
    first = project.milestones.order_by("position").first()
    services.milestone_report(
        milestone=first,
        user=dewi,
        report="Proses dipetakan bersama Biro SDM: 14 langkah menjadi 6; daftar berkas disepakati.",
        evidence_url="https://lentera.localhost/contoh/peta-proses",
    )
    services.milestone_review(milestone=first, reviewer=trainer, accept=True)
    services.comment_add(
        project=project, author=dewi.supervisor, body="Saya dukung; libatkan tim TI sejak awal."
    )
    report.add("change projects")

    if agus is None:
        return
    # Last year's project, passed and published: written as it stands, since the services
    # plan milestones only in the future.
    past = cohort_create(
        course=course,
        name="Angkatan Kepemimpinan 2025",
        starts_on=today - timedelta(days=330),
        ends_on=today - timedelta(days=240),
        created_by=trainer,
    )
    cohort_member_add(cohort=past, user=agus, added_by=trainer)
    finished = timezone.now() - timedelta(days=240)
    published = ChangeProject.objects.create(
        enrollment=agus.enrollments.get(course=course),
        learner=agus,
        cohort=past,
        organization=agus.organization,
        mentor=dewi.supervisor,
        coach=trainer,
        title="Satu data kehadiran untuk tunjangan kinerja",
        topic="digital",
        problem="Rekap kehadiran dari tiga sistem dihitung manual setiap bulan.",
        goals="Satu sumber data kehadiran yang langsung dipakai untuk tunjangan kinerja.",
        stakeholders="Biro SDM, Biro Keuangan, unit kerja.",
        status=ChangeProject.Status.PASSED,
        mentor_approved_at=finished - timedelta(days=80),
        coach_approved_at=finished - timedelta(days=80),
        final_report="Rekap kini otomatis; selisih data turun dari 12% menjadi di bawah 1%.",
        final_submitted_at=finished - timedelta(days=5),
        score=91,
        outcome=ChangeProject.Outcome.PASSED,
        assessment_notes="Dampak terukur dan berkelanjutan.",
        assessed_at=finished,
        public_summary=(
            "Rekap kehadiran dari tiga sistem digabung menjadi satu sumber data yang langsung "
            "dipakai menghitung tunjangan kinerja. Waktu rekap turun dari lima hari menjadi "
            "satu jam, selisih data di bawah 1%. Kuncinya: kesepakatan format data antarbiro "
            "dan uji coba dua bulan di satu unit sebelum diperluas."
        ),
        consent_at=finished,
        summary_approved_at=finished,
        published_at=finished,
        published_year=timezone.localtime(finished).year,
    )
    Milestone.objects.bulk_create(
        Milestone(
            project=published,
            position=index,
            title=title,
            due_on=(finished - timedelta(days=60 - 25 * index)).date(),
            status=Milestone.Status.ACCEPTED,
            report="Selesai sesuai rencana.",
            reviewed_by=trainer,
            reviewed_at=finished - timedelta(days=60 - 25 * index),
        )
        for index, title in enumerate(["Kesepakatan format data", "Uji coba di satu unit"], 1)
    )
    report.add("change projects")

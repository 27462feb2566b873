"""A demo assignment lesson in the integrity course: a gratification case analysis graded on a
two-criterion rubric. One member of the running cohort has handed in their analysis (a PDF),
waiting in the widyaiswara's grading queue; another was graded and passed, with feedback.
Idempotent; run after the cohorts (its learners are their members)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from assignments import services
from assignments.factories import AssignmentPageFactory, criterion
from assignments.models import AssignmentPage
from cohorts.models import Cohort, CohortMembership
from content.factories import paragraph
from courses.models import CoursePage, ModulePage
from demo.cohorts import RUNNING
from demo.media import document_pdf
from learners.models import Enrollment, User

COURSE = "integritas-dan-antikorupsi-asn"
SLUG = "tugas-analisis-kasus-gratifikasi"


def _rubric() -> list[dict]:
    return [
        criterion(
            "Identifikasi gratifikasi",
            [("Tepat dan lengkap", 5), ("Sebagian tepat", 3), ("Belum tepat", 1)],
            "Pemberian yang termasuk gratifikasi dan alasannya dikenali.",
        ),
        criterion(
            "Langkah pelaporan",
            [("Sesuai aturan dan tepat waktu", 5), ("Kurang lengkap", 3), ("Tidak ada", 0)],
            "Langkah dan batas waktu pelaporan kepada KPK atau UPG instansi.",
        ),
    ]


@transaction.atomic
def seed_assignments(report) -> None:
    """Seed the assignment and its two submissions once. `report` is
    `demo.builders.SeedReport`."""
    course = CoursePage.objects.live().filter(slug=COURSE).first()
    if course is None or AssignmentPage.objects.descendant_of(course).exists():
        return
    module = ModulePage.objects.child_of(course).live().order_by("path").first()
    assignment = AssignmentPageFactory(
        parent=module,
        slug=SLUG,
        title="Tugas: analisis kasus gratifikasi",
        body=[
            paragraph(
                "Seorang pegawai di unit layanan perizinan menerima parsel dari pemohon yang "
                "izinnya baru terbit. Analisislah: apakah ini gratifikasi, apa risikonya, dan "
                "langkah apa yang harus diambil pegawai tersebut beserta batas waktunya."
            ),
            paragraph("Tulis jawaban singkat dan unggah analisis Anda dalam bentuk PDF."),
        ],
        due_days=14,
        allowed_file_types=["pdf", "docx", "odt"],
        max_file_mb=5,
        pass_mark=70,
        rubric=_rubric(),
        # Optional: the demo learners' completed courses stay completed.
        required_for_completion=False,
    )
    assignment.save_revision().publish()
    report.add("assignments")

    cohort = Cohort.objects.filter(course=course, name=RUNNING).first()
    if cohort is None:
        return
    trainer = User.objects.get(email="widyaiswara@lentera.localhost")
    members = list(
        User.objects.filter(
            pk__in=CohortMembership.objects.filter(
                cohort=cohort, enrollment__status=Enrollment.Status.ACTIVE
            ).values("enrollment__user_id")
        ).order_by("pk")[:2]
    )
    for index, member in enumerate(members):
        analysis = document_pdf(
            title="Analisis kasus gratifikasi",
            text=(
                "Parsel dari pemohon layanan berhubungan dengan jabatan dan berlawanan dengan "
                "tugas, sehingga termasuk gratifikasi yang wajib ditolak atau dilaporkan kepada "
                "KPK paling lambat 30 hari kerja sejak diterima."
            ),
            issuer=member.full_name,
        )
        submission = services.submission_create(
            user=member,
            assignment=assignment,
            text="Parsel tersebut gratifikasi; saya akan menolaknya atau melapor ke UPG.",
            files=[SimpleUploadedFile("analisis-gratifikasi.pdf", analysis)],
        )
        report.add("assignment submissions")
        if index == 1:
            first = assignment.criteria()
            services.submission_grade(
                submission=submission,
                grader=trainer,
                scores={first[0]["id"]: 5, first[1]["id"]: 3},
                feedback="Identifikasi sudah tepat. Sebutkan juga batas 30 hari kerja.",
            )

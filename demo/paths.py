"""The demo learning path "Menuju Analis Kebijakan Ahli Muda", published by KemenPANRB toward
its position of that name and policy analysis (T.01) at level 3: three courses and a verified
mentoring required, self-study and a course in English optional. Dewi follows it and has done
one required step (the integrity course she completed), so `make run` shows a path under way."""

from decimal import Decimal

from django.db import transaction

from content.models import Competency
from courses.models import CoursePage, ProviderPage
from development.models import DevelopmentForm
from learners.models import Position, User
from paths.factories import activity_step, course_step, learning_path
from paths.models import LearningPathPage
from paths.services import path_follow

TITLE = "Menuju Analis Kebijakan Ahli Muda"


@transaction.atomic
def seed_paths(report) -> None:
    """Seed the path and Dewi's following of it once. `report` is `demo.builders.SeedReport`."""
    if LearningPathPage.objects.filter(title=TITLE).exists():
        return
    section = ProviderPage.objects.get(organization__short_name="KemenPANRB")
    courses = {course.slug: course for course in CoursePage.objects.live()}
    form = {form.code: form for form in DevelopmentForm.objects.all()}
    path = learning_path(
        provider_page=section,
        title=TITLE,
        slug="jalur-menuju-analis-kebijakan-ahli-muda",
        summary=(
            "Rangkaian pelatihan dan kegiatan nonklasikal bagi Analis Kebijakan Ahli Pertama "
            "yang bersiap naik ke jenjang Ahli Muda."
        ),
        intro=(
            "<p>Jalur ini menyiapkan kompetensi analisis kebijakan (T.01) sampai level 3, "
            "standar kompetensi jabatan Analis Kebijakan Ahli Muda. Selesaikan langkah wajib "
            "secara berurutan; langkah pilihan memperkaya portofolio Anda.</p>"
            "<p>Langkah nonklasikal dihitung setelah catatan pengembangan Anda diverifikasi "
            "atasan langsung dengan JP paling sedikit sebesar yang disebutkan.</p>"
        ),
        target_position=Position.objects.filter(
            organization=section.organization, name="Analis Kebijakan Ahli Muda"
        ).first(),
        target_competency=Competency.objects.filter(code="T.01").first(),
        target_level=3 if Competency.objects.filter(code="T.01").exists() else None,
        signatory_name="Dr. Rini Widyantini, S.H., M.P.M.",
        signatory_title="Deputi Bidang Sumber Daya Manusia Aparatur",
        steps=[
            course_step(courses["analisis-kebijakan-publik-dasar"]),
            course_step(courses["pengambilan-keputusan-berbasis-data"]),
            course_step(courses["integritas-dan-antikorupsi-asn"]),
            activity_step(
                form["mentoring"],
                min_jp=Decimal(4),
                description=(
                    "Menyusun satu policy brief didampingi mentor Analis Kebijakan Ahli Madya, "
                    "lalu mencatatnya sebagai kegiatan mentoring untuk diverifikasi atasan."
                ),
            ),
            activity_step(
                form["belajar-mandiri"],
                min_jp=Decimal(4),
                required=False,
                description="Membaca dan meringkas dua kajian kebijakan terbaru di bidang tugas.",
            ),
            course_step(courses["writing-policy-briefs-in-english"], required=False),
        ],
    )
    report.add("learning paths")
    dewi = User.objects.get(email="peserta1@lentera.localhost")
    path_follow(user=dewi, path=path)
    report.add("path enrollments")

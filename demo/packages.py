"""Demo e-learning packages: a SCORM lesson and an H5P lesson in the information security course,
imported as an editor's upload is (validated, parsed, extracted); idempotent.

The packages are `packages.samples`' SCORM 1.2 course on passwords, after the module's lesson on
passwords, and its H5P quiz with questions on Indonesia's personal data protection law, at the
end of the module on that law. Run after the learning history: the course is one a demo learner
has completed, and lessons added later do not undo that (as with the demo quizzes).
"""

from content.factories import paragraph
from courses.models import CoursePage, LessonPage, ModulePage
from packages import samples
from packages.factories import PackageFactory, PackageLessonPageFactory
from packages.models import PackageLessonPage

COURSE_SLUG = "keamanan-informasi-dan-pelindungan-data-pribadi"

PDP_QUESTIONS = [
    {
        "text": "Undang-Undang Nomor 27 Tahun 2022 mengatur tentang …",
        "answers": [
            {"text": "Pelindungan Data Pribadi", "correct": True},
            {"text": "Keterbukaan Informasi Publik", "correct": False},
            {"text": "Informasi dan Transaksi Elektronik", "correct": False},
        ],
    },
    {
        "text": "Bila terjadi kegagalan pelindungan data pribadi, pengendali data wajib "
        "memberitahukannya kepada subjek data paling lambat …",
        "answers": [
            {"text": "3 x 24 jam", "correct": True},
            {"text": "7 hari kerja", "correct": False},
            {"text": "30 hari", "correct": False},
        ],
    },
    {
        "text": "Data kesehatan dan data biometrik termasuk …",
        "answers": [
            {"text": "data pribadi yang bersifat spesifik", "correct": True},
            {"text": "data pribadi yang bersifat umum", "correct": False},
            {"text": "informasi publik", "correct": False},
        ],
    },
]

DEMO_PACKAGES = [
    # (module index, slug, title, file name, builder, pass mark)
    (
        0,
        "latihan-kata-sandi-yang-aman",
        "Latihan: Kata Sandi yang Aman (SCORM)",
        "kata-sandi-yang-aman.zip",
        lambda: samples.scorm12_single_sco(title="Kata Sandi yang Aman"),
        None,
    ),
    (
        1,
        "kuis-pelindungan-data-pribadi",
        "Kuis: Pelindungan Data Pribadi (H5P)",
        "kuis-pelindungan-data-pribadi.h5p",
        lambda: samples.h5p_quiz(
            title="Kuis Pelindungan Data Pribadi", questions=PDP_QUESTIONS, pass_percentage=60
        ),
        60,
    ),
]

INSTRUCTIONS = paragraph(
    "Kerjakan latihan interaktif di bawah ini. Kemajuan Anda tersimpan otomatis; Anda dapat "
    "berhenti dan melanjutkannya nanti dari halaman yang sama."
)


def seed_packages(report=None) -> list[PackageLessonPage]:
    """The demo's package lessons in the information security course, if it exists; creates
    nothing twice. `report` is `demo.builders.SeedReport` (anything with `add(kind, count)`)."""
    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    modules = list(ModulePage.objects.child_of(course)) if course else []
    if len(modules) < 2:
        return []
    created = []
    for module_index, slug, title, filename, build, pass_mark in DEMO_PACKAGES:
        module = modules[module_index]
        if LessonPage.objects.child_of(module).filter(slug=slug).exists():
            continue
        lesson = PackageLessonPageFactory(
            parent=module,
            title=title,
            slug=slug,
            package=PackageFactory(
                organization=course.provider, archive=build(), file_name=filename
            ),
            pass_mark=pass_mark,
            estimated_minutes=10,
            body=[INSTRUCTIONS],
        )
        lesson.save_revision().publish()
        created.append(lesson)
        if report is not None:
            report.add("package lessons")
    return created

"""Demo pre-tests and post-tests for two courses, with realistic questions; idempotent.

`seed_quizzes()` puts a pre-test at the start of the course's first module and a post-test (the
final test, with pass bands printed on the certificate) at the end of its last module. Both show
their answers only after the last attempt or after passing, and the pre-test never shows the
answers to the four questions it shares with the post-test. Run it
after the demo learners' history is seeded: a required post-test added first would hold back the
course those learners are shown as having completed.
"""

from content.factories import paragraph
from courses.models import CoursePage, LessonPage, ModulePage
from quizzes.factories import (
    QuizPageFactory,
    multiple_choice,
    pass_band,
    short_answer,
    single_choice,
    true_false,
)
from quizzes.models import QuizPage

BANDS = [pass_band("Sangat Baik", 90), pass_band("Baik", 80), pass_band("Cukup", 70)]


def _gratifikasi_30_hari():
    return single_choice(
        "Gratifikasi yang berhubungan dengan jabatan wajib dilaporkan kepada KPK paling lambat "
        "… sejak diterima.",
        [
            ("30 hari kerja", True),
            ("7 hari kerja", False),
            ("60 hari kalender", False),
            ("1 tahun", False),
        ],
        explanation="Pasal 12C ayat (2) UU No. 20 Tahun 2001: laporan disampaikan kepada KPK "
        "paling lambat 30 hari kerja sejak tanggal gratifikasi diterima.",
    )


def _kpk():
    return short_answer(
        "Lembaga yang menerima laporan gratifikasi dari pegawai negeri dan penyelenggara negara "
        "adalah … (tulis singkatannya).",
        ["KPK", "Komisi Pemberantasan Korupsi"],
        explanation="Komisi Pemberantasan Korupsi (KPK) menetapkan status gratifikasi yang "
        "dilaporkan: milik negara atau milik penerima.",
    )


def _nilai_antikorupsi():
    return multiple_choice(
        "Manakah yang termasuk sembilan nilai antikorupsi yang dikampanyekan KPK?",
        [
            ("Jujur", True),
            ("Sederhana", True),
            ("Berani", True),
            ("Populer", False),
            ("Loyal kepada atasan dalam segala hal", False),
        ],
        explanation="Sembilan nilai antikorupsi: jujur, peduli, mandiri, disiplin, tanggung "
        "jawab, kerja keras, sederhana, berani dan adil.",
        points=2,
    )


def _konflik_kepentingan():
    return single_choice(
        "Konflik kepentingan terjadi ketika …",
        [
            ("kepentingan pribadi pejabat berpotensi memengaruhi keputusan jabatannya", True),
            ("dua unit kerja memiliki target kinerja yang berbeda", False),
            ("pegawai menolak perintah atasan yang melanggar aturan", False),
        ],
        explanation="Konflik kepentingan adalah situasi ketika kepentingan pribadi berpotensi "
        "memengaruhi kualitas keputusan atau tindakan dalam jabatan.",
    )


INTEGRITAS_PRE = [
    _gratifikasi_30_hari(),
    true_false(
        "Hadiah dari pengguna layanan sebagai ucapan terima kasih setelah layanan selesai "
        "tidak termasuk gratifikasi.",
        true=False,
        explanation="Pemberian yang berhubungan dengan jabatan tetap gratifikasi, juga bila "
        "diberikan setelah layanan selesai.",
    ),
    _nilai_antikorupsi(),
    _kpk(),
    _konflik_kepentingan(),
]

INTEGRITAS_POST = [
    _gratifikasi_30_hari(),
    _nilai_antikorupsi(),
    _kpk(),
    _konflik_kepentingan(),
    single_choice(
        "Seorang ASN menjadi anggota panitia pengadaan, sementara salah satu peserta tender "
        "adalah perusahaan milik adiknya. Tindakan yang tepat adalah …",
        [
            ("menyatakan konflik kepentingan dan mundur dari kepanitiaan", True),
            ("tetap bertugas asalkan bersikap objektif", False),
            ("meminta adiknya menurunkan harga penawaran", False),
            ("merahasiakan hubungan keluarga tersebut", False),
        ],
        explanation="Konflik kepentingan dinyatakan sejak awal dan pejabat yang bersangkutan "
        "tidak ikut mengambil keputusan.",
        points=2,
    ),
    true_false(
        "Pegawai yang menerima gratifikasi lalu melaporkannya kepada KPK dalam batas waktu "
        "yang ditentukan terbebas dari ancaman pidana suap.",
        true=True,
        explanation="Pasal 12C ayat (1) UU No. 20 Tahun 2001.",
    ),
    multiple_choice(
        "Manakah yang termasuk kelompok tindak pidana korupsi menurut UU Tipikor?",
        [
            ("Suap-menyuap", True),
            ("Penggelapan dalam jabatan", True),
            ("Pemerasan", True),
            ("Menyampaikan kritik atas kebijakan di media", False),
        ],
        explanation="Tujuh kelompok: kerugian keuangan negara, suap-menyuap, penggelapan dalam "
        "jabatan, pemerasan, perbuatan curang, benturan kepentingan dalam pengadaan, gratifikasi.",
        points=2,
    ),
    short_answer(
        "Unit kerja menuju predikat Wilayah Bebas dari Korupsi (WBK) dibangun melalui program "
        "Zona …",
        ["Integritas", "Zona Integritas", "ZI"],
        explanation="Pembangunan Zona Integritas (PermenPANRB No. 90 Tahun 2021) menuju "
        "WBK dan WBBM.",
    ),
]


def _uu_pelayanan_publik():
    return single_choice(
        "Undang-undang yang menjadi dasar penyelenggaraan pelayanan publik adalah …",
        [
            ("UU No. 25 Tahun 2009", True),
            ("UU No. 20 Tahun 2023", False),
            ("UU No. 14 Tahun 2008", False),
            ("UU No. 23 Tahun 2014", False),
        ],
        explanation="UU No. 25 Tahun 2009 tentang Pelayanan Publik. UU 20/2023 mengatur ASN, "
        "UU 14/2008 keterbukaan informasi, UU 23/2014 pemerintahan daerah.",
    )


def _standar_partisipatif():
    return true_false(
        "Standar pelayanan disusun dengan mengikutsertakan masyarakat dan pihak terkait.",
        true=True,
        explanation="Pasal 20 ayat (2) UU No. 25 Tahun 2009.",
    )


def _komponen_standar():
    return multiple_choice(
        "Manakah yang termasuk komponen standar pelayanan yang berkaitan dengan penyampaian "
        "layanan dan wajib dipublikasikan?",
        [
            ("Persyaratan", True),
            ("Jangka waktu pelayanan", True),
            ("Biaya/tarif", True),
            ("Jumlah pegawai yang sedang cuti", False),
        ],
        explanation="PermenPANRB No. 15 Tahun 2014: persyaratan; sistem, mekanisme dan "
        "prosedur; jangka waktu; biaya/tarif; produk layanan; penanganan pengaduan.",
        points=2,
    )


def _skm():
    return short_answer(
        "Survei untuk mengukur kepuasan masyarakat atas layanan publik disingkat …",
        ["SKM", "Survei Kepuasan Masyarakat"],
        explanation="Survei Kepuasan Masyarakat, diatur dalam PermenPANRB No. 14 Tahun 2017.",
    )


def _skm_berkala():
    return single_choice(
        "Penyelenggara pelayanan publik melakukan SKM secara berkala paling sedikit …",
        [
            ("1 kali dalam setahun", True),
            ("1 kali dalam 5 tahun", False),
            ("hanya bila ada pengaduan", False),
        ],
        explanation="PermenPANRB No. 14 Tahun 2017: survei dilakukan secara periodik, minimal "
        "sekali setahun.",
    )


PELAYANAN_PRE = [
    _uu_pelayanan_publik(),
    _standar_partisipatif(),
    _komponen_standar(),
    _skm(),
    _skm_berkala(),
]

PELAYANAN_POST = [
    _uu_pelayanan_publik(),
    _komponen_standar(),
    _skm(),
    _skm_berkala(),
    single_choice(
        "Berapa unsur pelayanan yang diukur dalam SKM menurut PermenPANRB No. 14 Tahun 2017?",
        [("9 unsur", True), ("5 unsur", False), ("14 unsur", False), ("12 unsur", False)],
        explanation="Sembilan unsur, dari persyaratan sampai sarana dan prasarana. Indeks "
        "kepuasan lama (KepMenPAN 25/2004) memakai 14 unsur.",
    ),
    true_false(
        "Hasil SKM wajib ditindaklanjuti dan dipublikasikan kepada masyarakat.",
        true=True,
        explanation="Hasil survei dan tindak lanjutnya diumumkan agar masyarakat dapat "
        "memantau perbaikan layanan.",
    ),
    short_answer(
        "Pernyataan tertulis penyelenggara tentang kesanggupan melaksanakan pelayanan sesuai "
        "standar disebut … pelayanan.",
        ["Maklumat", "Maklumat Pelayanan"],
        explanation="Pasal 22 UU No. 25 Tahun 2009: penyelenggara wajib menyusun dan menetapkan "
        "maklumat pelayanan.",
        points=2,
    ),
]

DEMO_QUIZZES = {
    "integritas-dan-antikorupsi-asn": (INTEGRITAS_PRE, INTEGRITAS_POST),
    "pelayanan-publik-prima-berbasis-skm": (PELAYANAN_PRE, PELAYANAN_POST),
}


def _publish(page):
    page.save_revision().publish()
    return page


def _quiz(*, module: ModulePage, slug: str, **fields) -> tuple[QuizPage, bool]:
    existing = QuizPage.objects.child_of(module).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    return _publish(QuizPageFactory(parent=module, slug=slug, **fields)), True


def seed_quizzes(report=None) -> list[QuizPage]:
    """A pre-test and a post-test in each course of DEMO_QUIZZES present; creates nothing twice.

    `report` is `demo.builders.SeedReport` (anything with `add(kind, count)`).
    """
    created = []
    for course_slug, (pre_questions, post_questions) in DEMO_QUIZZES.items():
        course = CoursePage.objects.filter(slug=course_slug).first()
        modules = list(ModulePage.objects.child_of(course)) if course else []
        if not modules:
            continue
        pre_test, new = _quiz(
            module=modules[0],
            slug=f"pra-uji-{course_slug}"[:80],
            title=f"Pre-test: {course.title}",
            role=QuizPage.Role.PRE_TEST,
            estimated_minutes=10,
            pass_mark=70,
            max_attempts=1,
            time_limit_minutes=15,
            shuffle_options=True,
            feedback_policy=QuizPage.FeedbackPolicy.AFTER_FINAL_ATTEMPT,
            body=[
                paragraph(
                    "Pre-test ini mengukur pemahaman awal Anda sebelum mempelajari materi. "
                    "Nilainya tidak menentukan kelulusan; kerjakan dengan jujur."
                )
            ],
            questions=pre_questions,
        )
        if new:
            first = LessonPage.objects.child_of(modules[0]).exclude(pk=pre_test.pk).first()
            if first is not None:
                pre_test.move(first, pos="left")
            created.append(pre_test)
        post_test, new = _quiz(
            module=modules[-1],
            slug=f"post-test-{course_slug}"[:80],
            title=f"Post-test: {course.title}",
            role=QuizPage.Role.POST_TEST,
            estimated_minutes=20,
            pass_mark=70,
            max_attempts=3,
            time_limit_minutes=30,
            shuffle_questions=True,
            shuffle_options=True,
            feedback_policy=QuizPage.FeedbackPolicy.AFTER_FINAL_ATTEMPT,
            body=[
                paragraph(
                    "Post-test menentukan kelulusan pelatihan. Nilai minimal 70; predikat "
                    "Sangat Baik (≥ 90), Baik (≥ 80) atau Cukup (≥ 70) dicetak pada sertifikat. "
                    "Anda memiliki tiga kesempatan, masing-masing 30 menit."
                )
            ],
            questions=post_questions,
            pass_bands=BANDS,
        )
        if new:
            created.append(post_test)
    if report is not None and created:
        report.add("quizzes", len(created))
    return created

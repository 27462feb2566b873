"""Generate a reproducible data set at benchmark sizes (issue 7, "Data at scale").

Sizes follow Moodle's generator ladder. Everything is written with bulk inserts: one password
hash for every account, and Wagtail pages inserted with their treebeard paths computed here,
because `add_child` saves one page (and several queries) at a time and L has ~50,000 pages.
The millions of rows (enrollments, lesson completions, certificates, development records) go
through PostgreSQL's `COPY` (psycopg's `cursor.copy()`) as plain tuples, and through
`bulk_create` on SQLite (see `insert_rows`). Every size also has three "outline" courses of
exactly 2, 200 and 1,000 lessons (`OUTLINE_LESSONS`) for the lesson and course page goals. The
same seed gives the same titles, e-mails, NIPs and choices.
"""

import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page

from cohorts.members import cohort_members_add
from cohorts.services import cohort_create
from content.models import Competency, Organization
from courses.factories import ProviderFactory, provider_page_of
from courses.models import CourseCompetency, CoursePage, LessonPage, ModulePage
from courses.services import site_structure_ensure
from demo.media import illustration_png
from development.models import DevelopmentForm, DevelopmentRecord, FormRule
from development.selectors import rules_for_forms
from development.services import jp_from_hours
from learners.models import (
    Certificate,
    CourseTrainer,
    Enrollment,
    LessonCompletion,
    MembershipStatus,
    OrganizationRole,
    Position,
    User,
    WorkUnit,
)

MARKER_PREFIX = "bench-"
#: The supervisor whose confirmed team is the first `Size.team` staff of the big organization.
SUPERVISOR_EMAIL = "atasan@bench.go.id"
PASSWORD = "bench-lentera"  # noqa: S105 - demo accounts on benchmark databases only
BATCH = 2000
LESSONS_PER_MODULE = 10
REGULAR_MODULES, REGULAR_LESSONS_PER_MODULE = 3, 4
#: The lesson counts of the outline courses every size has (the lesson and course page goals of
#: issue 19 are measured at each), in modules of `LESSONS_PER_MODULE`.
OUTLINE_LESSONS = (2, 200, 1000)
# Cover images and lesson figures are shared by many pages, so pages render real renditions
# (and the benchmark can check none is generated inside a request once a page has been seen).
IMAGE_COLORS = ["#1d4ed8", "#047857", "#b45309", "#7c3aed", "#be123c"]


@dataclass(frozen=True)
class Size:
    """One rung of the ladder. `completions` is a target for the self-paced enrollments' lesson
    completions (the cohort's come on top). Every staff member of the big organization has
    `records_per_person` development records over three years (issue 16), and the supervisor
    account leads a confirmed team of `team` of them."""

    courses: int
    learners: int
    big_course_lessons: int
    cohort: int
    org_staff: int
    completions: int
    team: int = 20
    records_per_person: int = 36


SIZES = {
    "tiny": Size(courses=12, learners=60, big_course_lessons=20, cohort=30, org_staff=50,
                 completions=600, team=20),
    "S": Size(courses=100, learners=1_000, big_course_lessons=100, cohort=500, org_staff=1_000,
              completions=20_000, team=100),
    "M": Size(courses=500, learners=10_000, big_course_lessons=200, cohort=5_000,
              org_staff=10_000, completions=500_000, team=300),
    "L": Size(courses=2_000, learners=50_000, big_course_lessons=1_000, cohort=5_000,
              org_staff=50_000, completions=2_000_000, team=500),
}  # fmt: skip

ORGANIZATIONS = [
    # (slug, name, short name, kind); the first is the big agency of `org_staff` people.
    ("bench-pusat", "Badan Kepegawaian Uji Skala", "BKUS", "ministry"),
    ("bench-daerah", "Pemerintah Provinsi Uji Skala", "PPUS", "regional"),
    ("bench-lembaga", "Lembaga Pelatihan Uji Skala", "LPUS", "lan"),
]
TOPICS = [
    "Pelayanan Publik", "Analisis Kebijakan", "Manajemen Risiko", "Etika ASN", "Literasi Data",
    "Keuangan Negara", "Pengadaan Barang", "Kepemimpinan", "Komunikasi Publik", "SPBE",
    "Penyusunan SKP", "Arsip Digital", "Perencanaan Anggaran", "Audit Internal", "Inovasi",
]  # fmt: skip
QUALIFIERS = ["Dasar", "Lanjutan", "Praktis", "Terapan", "Strategis", "untuk Pimpinan"]
FIRST_NAMES = [
    "Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hadi", "Indah", "Joko", "Kartika",
    "Lestari", "Made", "Nur", "Putu", "Rina", "Sari", "Teguh", "Utami", "Wahyu", "Yuni",
]  # fmt: skip
LAST_NAMES = [
    "Santoso", "Wijaya", "Pratama", "Hidayat", "Saputra", "Kusuma", "Lubis", "Siregar",
    "Nugroho", "Rahmawati", "Setiawan", "Harahap", "Simanjuntak", "Wibowo", "Purnamasari",
]  # fmt: skip
POSITIONS = [
    "Analis Kebijakan", "Pranata Komputer", "Auditor", "Arsiparis", "Perencana",
    "Analis SDM Aparatur", "Pengelola Keuangan", "Kepala Subbagian",
]  # fmt: skip
RANKS = ["Penata Muda, III/a", "Penata, III/c", "Pembina, IV/a", "Pengatur, II/c"]
LEVELS = ["dasar", "menengah", "lanjut"]
MODES = ["e_learning", "e_learning", "e_learning", "blended"]
# A lesson body of ordinary length (about 350 words), the same in every lesson.
LESSON_TEXT = "".join(
    f"<p>{sentence}</p>"
    for sentence in [
        "Pelayanan publik yang baik dimulai dari pemahaman kebutuhan masyarakat. " * 6,
        "Setiap aparatur sipil negara wajib menjaga integritas dan akuntabilitas. " * 6,
        "Data yang akurat membantu pimpinan mengambil keputusan yang tepat waktu. " * 6,
        "Kolaborasi lintas instansi mempercepat penyelesaian masalah di lapangan. " * 6,
    ]
)
# The outline courses' lessons: a body of the same length in other words, so that they stay out
# of the benchmark's searches ("pelatihan", "pelayanan"), which find the same pages as before
# those courses were added.
OUTLINE_TEXT = "".join(
    f"<p>{sentence}</p>"
    for sentence in [
        "Tata kelola arsip yang tertib memudahkan penelusuran dokumen unit kerja. " * 6,
        "Setiap pegawai negeri wajib menjaga kerahasiaan data pribadi warga. " * 6,
        "Rapat koordinasi singkat membantu pimpinan menetapkan prioritas kegiatan. " * 6,
        "Kerja sama antarbagian mempercepat penyelesaian laporan keuangan kantor. " * 6,
    ]
)


def course_title(rng: random.Random, number: int) -> str:
    return f"{rng.choice(TOPICS)} {rng.choice(QUALIFIERS)} {number}"


def _lesson_body(title: str, image_id: int, text: str = LESSON_TEXT) -> list[dict]:
    return [
        {"type": "heading", "value": {"text": "Tujuan", "level": "h2"}},
        {"type": "paragraph", "value": f"<p>Isi pelajaran {title}.</p>"},
        {
            "type": "image",
            "value": {"image": image_id, "alt_text": "Ilustrasi materi", "caption": ""},
        },
        {"type": "paragraph", "value": text},
    ]


def outline_title(lessons: int) -> str:
    return f"Kerangka {lessons} Pelajaran"


def outline_slug(lessons: int) -> str:
    return slugify(outline_title(lessons))


def learner_email(number: int) -> str:
    return f"learner{number:06d}@bench.lentera.id"


def make_nip(rng: random.Random, *, pppk: bool, taken: set[str]) -> str:
    """A structurally valid 18-digit NIP (see learners.nip), unique within `taken`."""
    while True:
        birth = date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365))
        appointed = min(birth.year + rng.randint(21, 32), 2025)
        code = f"{rng.randint(21, 99)}" if pppk else f"{rng.randint(1, 12):02d}"
        nip = f"{birth:%Y%m%d}{appointed}{code}{rng.choice('12')}{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


@dataclass
class Report:
    """Counts and elapsed seconds per step, for the command's summary."""

    steps: list[tuple[str, float, str]] = field(default_factory=list)

    def step(self, name: str, action: Callable[[], str]) -> None:
        started = time.monotonic()
        detail = action()
        self.steps.append((name, time.monotonic() - started, detail))


def scale_data_exists() -> bool:
    return Organization.objects.filter(slug__startswith=MARKER_PREFIX).exists()


def _insert_pages(model: type[Page], pages: list[Page]) -> None:
    """Insert specific pages in bulk: the `wagtailcore_page` rows first (bulk_create refuses
    multi-table models, but accepts the specific instances as rows of `Page`), then the child
    table's rows with the ids just returned."""
    for start in range(0, len(pages), BATCH):
        batch = pages[start : start + BATCH]
        Page.objects.bulk_create(batch)
        for page in batch:
            page.page_ptr_id = page.id
            page._state.adding = False
        model._base_manager._insert(batch, fields=model._meta.local_concrete_fields)


def _batches(rows: Iterable, size: int = BATCH) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(model: type[models.Model], rows: Iterable[dict], *, ids: bool = False) -> list[int]:
    """Insert rows given as dicts of field attnames (`user_id`, not `user`) and return their ids
    when `ids` is set, in the rows' order.

    On PostgreSQL the rows are streamed through `COPY ... FROM STDIN` as tuples, never as model
    instances (L writes about four million rows): fields left out take their model default
    (`auto_now_add` ones the time of the call), JSON values are adapted, and ids asked for are
    reserved from the table's sequence first. Django's foreign keys are checked at commit, one
    lookup per row and key (minutes for millions of rows); when the role may (a superuser, as on
    a benchmark database) the copy skips those per-row triggers (`session_replication_role`) and
    checks every foreign key of the table at once instead, one anti-join per key, failing as the
    triggers would. Elsewhere (SQLite) they go through `bulk_create` in batches, which fills
    defaults and returns ids itself.
    """
    if connection.vendor != "postgresql":
        created: list[int] = []
        for batch in _batches(rows):
            objects = model.objects.bulk_create([model(**row) for row in batch])
            if ids:
                created.extend(obj.pk for obj in objects)
        return created
    now = timezone.now()
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    fixed, made, prepared = {}, {}, []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fixed[f.attname] = now
        elif f.has_default() and callable(f.default):
            made[f.attname] = f.default
        else:
            fixed[f.attname] = f.get_default()
        if isinstance(f, models.JSONField):
            prepared.append(f)
    for f in prepared:
        if f.attname in fixed:
            fixed[f.attname] = f.get_db_prep_save(fixed[f.attname], connection)
    names = [f.attname for f in fields]
    columns = [f.column for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        reserved: Iterator[int] | None = None
        if ids:
            rows = list(rows)
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column]
            )
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            if len(rows) > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + len(rows) - 1])
            reserved = iter(range(first, first + len(rows)))
            columns = [pk.column, *columns]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        created = []
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        set_based = bool(cursor.fetchone()[0])
        if set_based:
            cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                for name, default in made.items():
                    if name not in row:
                        row[name] = default()
                for f in prepared:
                    if f.attname in row:
                        row[f.attname] = f.get_db_prep_save(row[f.attname], connection)
                values = [row[name] if name in row else fixed[name] for name in names]
                if reserved is not None:
                    created.append(next(reserved))
                    values.insert(0, created[-1])
                copy.write_row(values)
        if set_based:
            cursor.execute("SET LOCAL session_replication_role = origin")
            _check_foreign_keys(cursor, model)
    return created


def _check_foreign_keys(cursor, model: type[models.Model]) -> None:
    """Every foreign key of `model`'s table points at a row: one anti-join per key."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    for f in model._meta.concrete_fields:
        if not f.is_relation or not f.db_constraint:
            continue
        target = f.target_field
        cursor.execute(
            f"SELECT t.{quote(f.column)} FROM {table} t "  # noqa: S608 - quoted model names
            f"LEFT JOIN {quote(target.model._meta.db_table)} r "
            f"ON r.{quote(target.column)} = t.{quote(f.column)} "
            f"WHERE t.{quote(f.column)} IS NOT NULL AND r.{quote(target.column)} IS NULL LIMIT 1"
        )
        missing = cursor.fetchone()
        if missing:
            raise IntegrityError(
                f"{model._meta.db_table}.{f.column} = {missing[0]} has no "
                f"{target.model._meta.db_table} row"
            )


class TreeBuilder:
    """Computes treebeard materialised paths (`MP_Node`) for children appended under a parent."""

    def __init__(self, now: datetime, locale: Locale):
        self.now = now
        self.locale = locale
        self.added: dict[int, int] = {}  # parent id -> children added

    def child(self, model: type[Page], parent: Page, *, step: int, title: str, **fields) -> Page:
        slug = slugify(title)[:255]
        return model(
            title=title,
            draft_title=title,
            slug=slug,
            path=model._get_path(parent.path, parent.depth + 1, step),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=self.now,
            last_published_at=self.now,
            content_type=ContentType.objects.get_for_model(model),
            locale=self.locale,
            **fields,
        )


@dataclass
class Generated:
    organizations: list[Organization] = field(default_factory=list)
    courses: list[CoursePage] = field(default_factory=list)
    # The courses of exactly OUTLINE_LESSONS lessons, in that order (nobody enrolled).
    outline_courses: list[CoursePage] = field(default_factory=list)
    big_course: CoursePage | None = None
    image_ids: list[int] = field(default_factory=list)
    lessons: dict[int, list[int]] = field(default_factory=dict)  # course id -> lesson ids
    learner_ids: list[int] = field(default_factory=list)
    trainer: User | None = None
    hr_admin: User | None = None
    supervisor: User | None = None
    cohort_id: int | None = None


def generate(*, size: str, seed: int = 2026, build_index: bool = True, out=print) -> Report:
    """Generate the data set `size` into a database holding at most the site skeleton."""
    spec = SIZES[size]
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    report = Report()
    data = Generated()
    now = timezone.now()
    this_year = timezone.localdate().year

    def organizations() -> str:
        site_structure_ensure()
        for slug, name, short, kind in ORGANIZATIONS:
            data.organizations.append(
                ProviderFactory(name=name, short_name=short, slug=slug, kind=kind)
            )
        return f"{len(data.organizations)} organizations"

    def competencies() -> str:
        # In bulk, without the save signal that gives a translatable model its locale.
        locale = Locale.get_default()
        Competency.objects.bulk_create(
            Competency(
                locale=locale,
                code=f"BENCH-{n:02d}",
                name=f"Kompetensi {topic}",
                kind=rng.choice(["teknis", "manajerial", "sosial_kultural"]),
            )
            for n, topic in enumerate(TOPICS, start=1)
        )
        return f"{len(TOPICS)} competencies"

    def images() -> str:
        Image = get_image_model()
        collection = Collection.get_first_root_node()
        for number, color in enumerate(IMAGE_COLORS, start=1):
            png = illustration_png(color=color, label=f"Uji skala {number}", width=960, height=540)
            image = Image(
                title=f"{MARKER_PREFIX}image-{number}",
                collection=collection,
                file=ContentFile(png, name=f"{MARKER_PREFIX}image-{number}.png"),
            )
            image.save()
            data.image_ids.append(image.pk)
        return f"{len(data.image_ids)} images"

    def pages() -> str:
        tree = TreeBuilder(now, Locale.get_default())
        sections = [provider_page_of(org) for org in data.organizations]
        competency_ids = list(
            Competency.objects.filter(code__startswith="BENCH-").values_list("pk", flat=True)
        )
        courses: list[CoursePage] = []
        for number in range(1, spec.courses + 1):
            section = sections[0] if number == 1 else rng.choice(sections)
            step = section.numchild + tree.added.get(section.pk, 0) + 1
            tree.added[section.pk] = step - section.numchild
            title = (
                f"Pelatihan Besar {spec.big_course_lessons} Pelajaran"
                if number == 1
                else course_title(rng, number)
            )
            courses.append(
                tree.child(
                    CoursePage,
                    section,
                    step=step,
                    title=title,
                    provider_id=section.organization_id,
                    jp=Decimal(rng.choice(["2", "4", "6", "8", "12", "20"])),
                    level=rng.choice(LEVELS),
                    language="id" if rng.random() < 0.9 else "en",
                    learning_mode=rng.choice(MODES),
                    enrollment_policy="open" if number > 1 else "cohort",
                    summary=f"Pelatihan {title} bagi ASN.",
                    cover_image_id=rng.choice(data.image_ids),
                    description=f"<p>Materi {title} untuk aparatur sipil negara.</p>",
                )
            )
        # The outline courses come after, with no draw from `rng`: the rest of the data set is
        # the same as without them.
        outline = []
        for lessons in OUTLINE_LESSONS:
            section = sections[0]
            step = section.numchild + tree.added.get(section.pk, 0) + 1
            tree.added[section.pk] = step - section.numchild
            title = outline_title(lessons)
            outline.append(
                tree.child(
                    CoursePage, section, step=step, title=title,
                    provider_id=section.organization_id, jp=Decimal(lessons // 10 + 2),
                    level=LEVELS[0], language="id", learning_mode=MODES[0],
                    enrollment_policy="open", summary=f"Kursus {title} bagi ASN.",
                    cover_image_id=data.image_ids[lessons % len(data.image_ids)],
                    description=f"<p>Materi {title} untuk aparatur sipil negara.</p>",
                )
            )  # fmt: skip
        _insert_pages(CoursePage, courses + outline)
        # Absolute counts: a section may already hold courses of its own.
        numchild = {s.pk: s.numchild + tree.added.get(s.pk, 0) for s in sections}

        def modules_of(lessons: int) -> list[int]:
            shape = [LESSONS_PER_MODULE] * (lessons // LESSONS_PER_MODULE)
            if lessons % LESSONS_PER_MODULE:
                shape.append(lessons % LESSONS_PER_MODULE)
            return shape

        modules: list[tuple[ModulePage, int]] = []  # (module, lessons in it)
        shapes = [modules_of(spec.big_course_lessons)]
        shapes += [[REGULAR_LESSONS_PER_MODULE] * REGULAR_MODULES] * (len(courses) - 1)
        shapes += [modules_of(lessons) for lessons in OUTLINE_LESSONS]
        for course, shape in zip(courses + outline, shapes, strict=True):
            for position, lessons in enumerate(shape, start=1):
                module = tree.child(
                    ModulePage,
                    course,
                    step=position,
                    title=f"Modul {position}: {course.title}",
                    summary="Konsep dan praktik.",
                )
                modules.append((module, lessons))
            numchild[course.pk] = len(shape)
        _insert_pages(ModulePage, [m for m, _ in modules])

        lessons: list[LessonPage] = []
        owner: list[int] = []  # the course of each lesson
        course_of_module = {course.path: course.pk for course in courses + outline}
        outline_ids = {course.pk for course in outline}
        for module, count in modules:
            course_id = course_of_module[module.path[: -module.steplen]]
            for position in range(1, count + 1):
                title = f"Pelajaran {position}: {module.title}"
                if course_id in outline_ids:
                    # Fixed choices (no draw from `rng`), the same body as every lesson.
                    lessons.append(
                        tree.child(
                            LessonPage, module, step=position, title=title,
                            estimated_minutes=15, body=_lesson_body(
                                title, data.image_ids[position % len(data.image_ids)],
                                OUTLINE_TEXT,
                            ),
                        )
                    )  # fmt: skip
                    owner.append(course_id)
                    continue
                lessons.append(
                    tree.child(
                        LessonPage,
                        module,
                        step=position,
                        title=title,
                        estimated_minutes=rng.choice([10, 15, 20, 30]),
                        body=_lesson_body(title, rng.choice(data.image_ids)),
                    )
                )
                owner.append(course_id)
            numchild[module.pk] = count
        _insert_pages(LessonPage, lessons)
        for lesson, course_id in zip(lessons, owner, strict=True):
            data.lessons.setdefault(course_id, []).append(lesson.pk)

        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE wagtailcore_page SET numchild = %s WHERE id = %s",
                [(count, pk) for pk, count in numchild.items()],
            )
        CourseCompetency.objects.bulk_create(
            [
                CourseCompetency(
                    page_id=course.pk, competency_id=cid, target_level=level, sort_order=n
                )
                for course in courses
                for n, (cid, level) in enumerate(
                    (cid, rng.randint(1, 4))
                    for cid in rng.sample(competency_ids, rng.randint(1, 3))
                )
            ]
            + [
                CourseCompetency(
                    page_id=course.pk, competency_id=competency_ids[0], target_level=2, sort_order=0
                )
                for course in outline
            ],  # fmt: skip
            batch_size=BATCH,
        )
        data.courses = courses
        data.outline_courses = outline
        data.big_course = courses[0]
        return (
            f"{len(courses)} courses (+ {len(outline)} of "
            f"{', '.join(map(str, OUTLINE_LESSONS))} lessons), {len(modules)} modules, "
            f"{len(lessons)} lessons"
        )

    def people() -> str:
        password = make_password(PASSWORD)
        big, *others = data.organizations
        units: dict[int, list[int]] = {}
        positions: dict[int, list[int]] = {}
        for org in data.organizations:
            staff = spec.org_staff if org is big else spec.learners // 10 + 1
            tops = WorkUnit.objects.bulk_create(
                WorkUnit(organization=org, name=f"Deputi {n}", code=f"D{n}") for n in range(1, 4)
            )
            subs = WorkUnit.objects.bulk_create(
                WorkUnit(
                    organization=org, name=f"Bidang {n}", code=f"B{n}", parent=rng.choice(tops)
                )
                for n in range(1, max(3, staff // 150) + 1)
            )
            units[org.pk] = [u.pk for u in tops + subs]
            positions[org.pk] = [
                p.pk
                for p in Position.objects.bulk_create(
                    Position(organization=org, name=name) for name in POSITIONS
                )
            ]
        taken: set[str] = set()
        users = []
        for number in range(1, spec.learners + 1):
            org = big if number <= spec.org_staff else others[number % len(others)]
            pppk = rng.random() < 0.15
            users.append(
                User(
                    email=learner_email(number),
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    password=password,
                    account_kind="pppk" if pppk else "pns",
                    nip=make_nip(rng, pppk=pppk, taken=taken),
                    organization=org,
                    membership_status=MembershipStatus.CONFIRMED,
                    work_unit_id=rng.choice(units[org.pk]),
                    position_id=rng.choice(positions[org.pk]),
                    rank_grade="" if pppk else rng.choice(RANKS),
                    date_joined=now,
                )
            )
        User.objects.bulk_create(users, batch_size=BATCH)
        data.learner_ids = list(
            User.objects.filter(email__endswith="@bench.lentera.id")
            .order_by("email")
            .values_list("pk", flat=True)
        )
        data.trainer = User.objects.create(
            email="pelatih@bench.go.id", full_name="Pelatih Uji Skala", password=password,
            organization=big, account_kind="non_asn",
        )  # fmt: skip
        data.hr_admin = User.objects.create(
            email="sdm@bench.go.id", full_name="Admin SDM Uji Skala", password=password,
            organization=big, account_kind="non_asn",
        )  # fmt: skip
        OrganizationRole.objects.create(user=data.hr_admin, organization=big, role="admin")
        CourseTrainer.objects.create(course=data.big_course, user=data.trainer)
        data.supervisor = User.objects.create(
            email=SUPERVISOR_EMAIL, full_name="Atasan Uji Skala", password=password,
            organization=big, account_kind="pns", nip=make_nip(rng, pppk=False, taken=taken),
            membership_status=MembershipStatus.CONFIRMED, work_unit_id=units[big.pk][0],
            position_id=positions[big.pk][-1], rank_grade=RANKS[2],
        )  # fmt: skip
        # A confirmed link, as both sides leave it once they agreed (learners.supervisors).
        User.objects.filter(pk__in=data.learner_ids[: spec.team]).update(
            supervisor=data.supervisor,
            supervisor_name=data.supervisor.full_name,
            supervisor_accepted_at=now,
            supervisor_confirmed_at=now,
        )
        return (
            f"{len(users)} learners (+ trainer, HR admin, supervisor of {spec.team}), "
            f"{sum(map(len, units.values()))} units"
        )

    def enrollments() -> str:
        regular = data.courses[1:]
        completions_left = spec.completions
        enrollment_rows: list[dict] = []
        progress: list[list[int]] = []
        pairs: set[tuple[int, int]] = set()
        learners = data.learner_ids
        index = 0
        while completions_left > 0 and len(pairs) < len(learners) * len(regular):
            user_id = learners[index % len(learners)]
            index += 1
            course = rng.choice(regular)
            if (user_id, course.pk) in pairs:
                continue
            pairs.add((user_id, course.pk))
            lesson_ids = data.lessons[course.pk]
            roll = rng.random()
            started = now - timedelta(days=rng.randint(1, 700))
            fields: dict = {"started_at": started}
            if roll < 0.4:
                done = lesson_ids
                completed = datetime(
                    this_year - (rng.random() < 0.4),
                    rng.randint(1, 12 if rng.random() < 0.4 else max(1, now.month)),
                    rng.randint(1, 28),
                    9,
                    tzinfo=now.tzinfo,
                )
                completed = min(completed, now)
                fields.update(
                    status="completed",
                    completed_at=completed,
                    started_at=completed - timedelta(days=rng.randint(1, 60)),
                    jp_credited=course.jp,
                )
            elif roll < 0.85:
                done = lesson_ids[: rng.randrange(len(lesson_ids))]
                fields["status"] = "active"
            elif roll < 0.95:
                done = lesson_ids[: rng.randrange(len(lesson_ids))]
                fields.update(status="withdrawn", ended_at=now)
            else:
                done = []
                fields = {"status": "pending"}
            # The stored progress as learners.progress keeps it: every generated lesson is
            # required, and the latest completion is the enrollment's completion (or today's).
            fields.update(
                required_total=len(lesson_ids),
                required_done=len(done),
                last_completed_at=(fields.get("completed_at") or now) if done else None,
            )
            enrollment_rows.append({"user_id": user_id, "course_id": course.pk, **fields})
            progress.append(done)
            completions_left -= len(done)
        ids = insert_rows(Enrollment, enrollment_rows, ids=True)
        for row, pk in zip(enrollment_rows, ids, strict=True):
            row["id"] = pk
        completions = _completions(enrollment_rows, progress, now)
        certificates = _certificates(rng, enrollment_rows, data, now)
        return (
            f"{len(enrollment_rows)} enrollments, {completions} completions, "
            f"{certificates} certificates"
        )

    def cohort() -> str:
        course = data.big_course
        cohort = cohort_create(
            course=course,
            name="Angkatan Uji Skala I",
            starts_on=timezone.localdate() - timedelta(days=30),
            ends_on=timezone.localdate() + timedelta(days=60),
            created_by=data.trainer,
        )
        members = User.objects.filter(pk__in=data.learner_ids[: spec.cohort])
        cohort_members_add(cohort=cohort, users=members, added_by=data.trainer)
        data.cohort_id = cohort.pk
        rows = list(
            Enrollment.objects.filter(cohort_membership__cohort=cohort)
            .order_by("pk")
            .values("id", "completed_at")
        )
        lesson_ids = data.lessons[course.pk]
        progress = [lesson_ids[: int(len(lesson_ids) * rng.random() ** 2)] for _ in rows]
        completions = _completions(rows, progress, now)
        return f"cohort {cohort.pk}: {len(rows)} members, {completions} completions"

    def development() -> str:
        big = data.organizations[0]
        staff = data.learner_ids[: spec.org_staff]
        verifier_of = dict.fromkeys(staff, data.hr_admin.pk)
        verifier_of.update(dict.fromkeys(staff[: spec.team], data.supervisor.pk))
        counts = _development_records(
            rng, verifier_of=verifier_of, per_person=spec.records_per_person,
            organization_id=big.pk, now=now,
        )  # fmt: skip
        detail = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        return f"{sum(counts.values())} development records ({detail})"

    def progress() -> str:
        # The stored per-enrollment progress (required lessons, done, latest completion) of the
        # cohort's enrollments, counted set-based from their completions, as the completion
        # service keeps it (the self-paced enrollments were written with theirs).
        from learners.progress import recount_progress

        counted = recount_progress(Enrollment.objects.filter(course=data.big_course))
        return f"{counted:,} cohort enrollments' stored progress counted"

    def search_index() -> str:
        from django.core.management import call_command

        with _images_read_once():
            call_command("update_index", verbosity=0)
        return "update_index"

    # One transaction per step, not one for all: a transaction open for minutes with many
    # savepoints (subtransactions) keeps a new PostgreSQL standby from accepting reads until it
    # ends. A step that fails leaves the steps before it: generate again into a fresh database.
    # A step's time includes its commit (PostgreSQL checks the foreign keys then).
    def committed(action: Callable[[], str]) -> Callable[[], str]:
        def run() -> str:
            with transaction.atomic():
                return action()

        return run

    for name, action in [
        ("organizations", organizations), ("competencies", competencies), ("images", images),
        ("pages", pages), ("people", people), ("enrollments", enrollments), ("cohort", cohort),
        ("development", development), ("progress", progress),
    ]:  # fmt: skip
        report.step(name, committed(action))
    if build_index:
        report.step("search index", search_index)
    if connection.vendor == "postgresql":
        # Fresh tables have no statistics until autovacuum gets to them: the planner took a
        # cohort of 8,510 rows for 1 right after generating, and benchmarks measured its plans.
        report.step("statistics", _analyze)
    report.generated = data  # type: ignore[attr-defined]
    return report


def _analyze() -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return "ANALYZE"


@contextmanager
def _images_read_once() -> Iterator[None]:
    """`update_index` decodes each lesson's body on its own, and each body's figure reads its
    image with its renditions: two queries per lesson (about 70,000 at L, most of the index
    build's time). The data set's lessons share five images: within this block each image is
    read once, and the index gets the same content."""
    from content.blocks import RenditionPrefetchingImageChooserBlock as Block

    read = Block.bulk_to_python
    images: dict = {}

    def bulk_to_python(self, values):
        missing = list(dict.fromkeys(v for v in values if v and v not in images))
        if missing:
            images.update(zip(missing, read(self, missing), strict=True))
        return [images.get(value) if value else None for value in values]

    Block.bulk_to_python = bulk_to_python
    try:
        yield
    finally:
        Block.bulk_to_python = read


#: How a generated record ended, with its weight: most verified, some in every other status.
RECORD_STATUSES = [
    (DevelopmentRecord.Status.VERIFIED, 60),
    (DevelopmentRecord.Status.SUBMITTED, 15),
    (DevelopmentRecord.Status.CHANGES_REQUESTED, 10),
    (DevelopmentRecord.Status.REJECTED, 10),
    (DevelopmentRecord.Status.REVOKED, 5),
]


def _development_records(
    rng: random.Random, *, verifier_of: dict[int, int], per_person: int, organization_id: int, now
) -> dict[str, int]:
    """`per_person` records for each person of `verifier_of` (decided by the person it maps to),
    over this year and the two before, cycling through every form: JP from the hours under the
    organization's rules, credited within each form's yearly cap as verification would. Streamed
    to `insert_rows`, so L's 1.8 million rows never sit in memory at once."""
    forms = list(DevelopmentForm.objects.filter(active=True).order_by("pk"))
    rules = rules_for_forms(form_ids=[f.pk for f in forms], organization_id=organization_id)
    statuses, weights = zip(*RECORD_STATUSES, strict=True)
    today = timezone.localdate()
    counts: dict[str, int] = dict.fromkeys(statuses, 0)
    # Worked out once, not per row (L makes 1.8 million): each form's rule, the JP of each
    # form and number of hours, the weights' running sums (what `choices` does per call).
    rule_of = {form.pk: rules.get(form.pk) or FormRule(form=form) for form in forms}
    jp_of: dict[tuple[int, Decimal], Decimal] = {}
    cum_weights = list(itertools.accumulate(weights))

    def rows():
        # Each person's place in the list, not their id, picks the forms: ids differ from one
        # database to the next (PostgreSQL's sequences survive a rollback), the seed's data
        # must not.
        for person, (owner_id, verifier_id) in enumerate(verifier_of.items()):
            credited: dict[tuple[int, int], Decimal] = {}  # (form, year) -> JP credited so far
            for n in range(per_person):
                form = forms[(person + n) % len(forms)]
                rule = rule_of[form.pk]
                year = today.year - n % 3
                first = date(year, 1, 1)
                last = today if year == today.year else date(year, 12, 31)
                end = first + timedelta(days=rng.randrange((last - first).days + 1))
                days = min(rng.choice([1, 1, 2, 3, 5]), (end - first).days + 1)
                hours = Decimal(rng.choice([2, 3, 4, 8, 16]))
                jp = jp_of.get((form.pk, hours))
                if jp is None:
                    jp = jp_of[form.pk, hours] = jp_from_hours(hours=hours, rule=rule)
                status = rng.choices(statuses, cum_weights=cum_weights)[0]
                jp_credited = Decimal(0)
                if status == DevelopmentRecord.Status.VERIFIED:
                    before = credited.get((form.pk, year), Decimal(0))
                    cap = rule.max_jp_per_year
                    jp_credited = jp if cap is None else max(Decimal(0), min(jp, cap - before))
                    credited[(form.pk, year)] = before + jp_credited
                decided = status != DevelopmentRecord.Status.SUBMITTED
                counts[status] += 1
                yield {
                    "owner_id": owner_id,
                    "form_id": form.pk,
                    "title": f"{form.name} {year} #{n + 1}",
                    "organizer": rng.choice(ORGANIZERS),
                    "start_date": end - timedelta(days=days - 1),
                    "end_date": end,
                    "hours": hours,
                    "report": "Belajar menerapkan materi dalam pekerjaan sehari-hari.",
                    "evidence_url": f"https://contoh.go.id/bukti/{person + 1}/{n + 1}",
                    "status": status,
                    "jp": jp,
                    "jp_credited": jp_credited,
                    "decided_by_id": verifier_id if decided else None,
                    "decided_at": min(now, _noon(end, now) + timedelta(days=3))
                    if decided
                    else None,
                    "decision_note": DECISION_NOTES.get(status, ""),
                }

    insert_rows(DevelopmentRecord, rows())
    return counts


DECISION_NOTES = {
    DevelopmentRecord.Status.CHANGES_REQUESTED: "Lengkapi laporan: apa yang akan diterapkan.",
    DevelopmentRecord.Status.REJECTED: "Kegiatan ini bukan pengembangan kompetensi.",
    DevelopmentRecord.Status.REVOKED: "Kegiatan yang sama tercatat dua kali.",
}
ORGANIZERS = ["BPSDM Provinsi", "Pusbangkom ASN", "LAN RI", "Unit kerja sendiri", "BKN"]


def _noon(day: date, now: datetime) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=now.tzinfo)


def _completions(enrollments: list[dict], progress: list[list[int]], now) -> int:
    """The lessons done of each enrollment (dicts with its `id` and `completed_at`), streamed."""
    count = 0

    def rows():
        nonlocal count
        for enrollment, done in zip(enrollments, progress, strict=True):
            completed_at = enrollment.get("completed_at")
            for position, lesson_id in enumerate(done):
                count += 1
                yield {
                    "enrollment_id": enrollment["id"],
                    "lesson_id": lesson_id,
                    "completed_at": completed_at or now - timedelta(days=position % 30),
                }

    insert_rows(LessonCompletion, rows())
    return count


def _certificates(rng: random.Random, enrollments: list[dict], data: Generated, now) -> int:
    courses = {c.pk: c for c in data.courses}
    orgs = {o.pk: o for o in data.organizations}
    users = {
        u["pk"]: u
        for u in User.objects.filter(pk__in=data.learner_ids).values(
            "pk", "full_name", "nip", "organization_id", "position__name", "rank_grade"
        )
    }
    rows = []
    for enrollment in enrollments:
        if enrollment.get("status") != "completed" or rng.random() > 0.8:
            continue
        course, user = courses[enrollment["course_id"]], users[enrollment["user_id"]]
        completed_at = enrollment["completed_at"]
        rows.append(
            {
                "enrollment_id": enrollment["id"],
                "serial": f"BENCH/{completed_at.year}/{enrollment['id']:08d}",
                "code": f"{rng.getrandbits(128):032x}",
                "issued_at": completed_at,
                "holder_name": user["full_name"],
                "holder_nip": user["nip"] or "",
                "holder_agency": orgs[user["organization_id"]].name,
                "holder_position": user["position__name"] or "",
                "holder_rank_grade": user["rank_grade"],
                "course_page_id": course.pk,
                "course_title": course.title,
                "jp": course.jp,
                "competencies": [],
                "provider_name": orgs[course.provider_id].name,
                "learning_mode": course.learning_mode,
                "started_on": enrollment["started_at"].date(),
                "completed_on": completed_at.date(),
            }
        )
    insert_rows(Certificate, rows)
    return len(rows)

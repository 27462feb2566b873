"""Build the demo catalog from the JSON files in `demo/data/`, idempotently.

Everything is looked up before it is created (by code, short name, slug, title or e-mail), so a
second run creates nothing and keeps every primary key.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import wagtail_factories
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from content.factories import CompetencyFactory, CompetencyLevelFactory, ResourcePageFactory
from content.models import Competency, LibrarySectionPage, Organization, ResourcePage
from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProviderFactory,
    provider_page_of,
)
from courses.models import CoursePage, HomePage, HomePageFeaturedCourse, LessonPage
from courses.services import site_structure_ensure
from demo.assignments import seed_assignments
from demo.coaching import seed_coaching
from demo.cohorts import seed_cohorts
from demo.development import seed_development
from demo.discussions import seed_discussions
from demo.evaluation import seed_evaluation
from demo.live import seed_live_sessions
from demo.media import document_pdf, illustration_png
from demo.packages import seed_packages
from demo.paths import seed_paths
from demo.planning import seed_planning
from demo.projects import seed_projects
from demo.quizzes import seed_quizzes
from demo.search import seed_search
from demo.staff import seed_staff
from learners import progress, services
from learners.factories import OrganizationRoleFactory, PositionCompetencyFactory, UserFactory
from learners.models import (
    CourseTrainer,
    Position,
    User,
    WorkUnit,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
# Short narrated WebM videos with their WebVTT captions, made by `demo.make_videos` and committed.
VIDEOS_DIR = DATA_DIR / "videos"
# Where the first demo data pointed its videos: a host that never existed (see _videos_repair).
_MISSING_VIDEO_HOST = "https://video.lentera.example/"


def load(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@dataclass
class SeedReport:
    """What a run created, for the command's summary."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, count: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + count


def _publish(page):
    page.save_revision().publish()
    return page


def _image(*, title: str, color: str, label: str, collection: Collection, report: SeedReport):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    report.add("images")
    return wagtail_factories.ImageFactory(
        title=title,
        collection=collection,
        file=ContentFile(
            illustration_png(color=color, label=label), name=f"{title[:40].lower()}.png"
        ),
    )


def _document(*, title: str, filename: str, text: str, issuer: str, collection, report):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    report.add("documents")
    document = wagtail_factories.DocumentFactory(
        title=title,
        collection=collection,
        file=ContentFile(document_pdf(title=title, text=text, issuer=issuer), name=filename),
    )
    # What the admin's upload form records: size and hash, shown beside download links.
    document._set_document_file_metadata()
    document.save(update_fields=["file_size", "file_hash"])
    return document


def _file_document(*, title: str, path: Path, collection, report: SeedReport):
    """A document made from a file shipped with the demo, found again by its title."""
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    report.add("documents")
    document = wagtail_factories.DocumentFactory(
        title=title, collection=collection, file=ContentFile(path.read_bytes(), name=path.name)
    )
    document._set_document_file_metadata()
    document.save(update_fields=["file_size", "file_hash"])
    return document


def video_block_value(value: dict, *, collection, report: SeedReport) -> dict:
    """A data-file video block (`video` names a file in demo/data/videos/) as block data: the
    WebM file and its Indonesian captions become documents of the organization's collection."""
    key = value["video"]
    video = _file_document(
        title=f"Video: {value['title']}",
        path=VIDEOS_DIR / f"{key}.webm",
        collection=collection,
        report=report,
    )
    captions = _file_document(
        title=f"Teks video: {value['title']}",
        path=VIDEOS_DIR / f"{key}.id.vtt",
        collection=collection,
        report=report,
    )
    return {
        "title": value["title"],
        "video_file": video.pk,
        "embed_url": "",
        "transcript": value["transcript"],
        "captions": [{"file": captions.pk, "language": "id", "label": "Bahasa Indonesia"}],
    }


def seed_competencies(report: SeedReport) -> None:
    for item in load("competencies.json"):
        competency = Competency.objects.filter(code=item["code"]).first()
        if competency is None:
            competency = CompetencyFactory(
                code=item["code"],
                name=item["name"],
                kind=item["kind"],
                description=item["description"],
            )
            report.add("competencies")
        existing_levels = set(competency.levels.values_list("level", flat=True))
        for level, indicators in sorted(item["levels"].items()):
            if int(level) not in existing_levels:
                CompetencyLevelFactory(
                    competency=competency, level=int(level), indicators=indicators
                )


def seed_organizations(report: SeedReport) -> dict[str, Organization]:
    organizations = {}
    for item in load("organizations.json"):
        exists = Organization.objects.filter(short_name=item["short_name"]).exists()
        organizations[item["key"]] = ProviderFactory(
            name=item["name"],
            short_name=item["short_name"],
            slug=item["key"],
            kind=item["kind"],
            website=item.get("website", ""),
            description=item.get("description", ""),
        )
        if not exists:
            report.add("organizations")
    return organizations


def _convert_block(block: dict, images: dict, *, collection=None, report=None) -> dict:
    """Turn a data-file block into StreamField raw data (image keys become image ids, video
    keys documents of `collection`)."""
    kind, value = block["type"], block["value"]
    if kind == "image":
        value = {**value, "image": images[value["image"]].pk}
    elif kind == "table":
        value = {
            "data": [value["header"], *value["rows"]],
            "table_header_choice": "row",
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": value.get("caption", ""),
        }
    elif kind == "video":
        value = video_block_value(value, collection=collection, report=report)
    return {"type": kind, "value": value}


def seed_courses(organizations: dict[str, Organization], report: SeedReport) -> list[CoursePage]:
    data = load("courses.json")
    courses_by_slug: dict[str, CoursePage] = {}
    image_specs = {item["key"]: item for item in data["images"]}
    images: dict = {}

    def image_for(key: str, organization: Organization):
        if key not in images:
            spec = image_specs[key]
            images[key] = _image(
                title=spec["title"],
                color=spec["color"],
                label=spec["label"],
                collection=organization.collection,
                report=report,
            )
        return images[key]

    for item in data["courses"]:
        organization = organizations[item["provider"]]
        course = CoursePage.objects.filter(slug=item["slug"]).first()
        if course is None:
            course = _course_create(item, organization, image_for, report)
        courses_by_slug[item["slug"]] = course

    for item in data["courses"]:
        course = courses_by_slug[item["slug"]]
        if item.get("prerequisites") and not course.prerequisites.exists():
            course.prerequisites.set([courses_by_slug[slug] for slug in item["prerequisites"]])
            _publish(course)
    return list(courses_by_slug.values())


def _course_create(item: dict, organization: Organization, image_for, report) -> CoursePage:
    certificate = item.get("certificate", {})
    cover = _image(
        title=f"Sampul: {item['title']}",
        color=item["cover"]["color"],
        label=item["title"],
        collection=organization.collection,
        report=report,
    )
    course = CoursePageFactory(
        parent=provider_page_of(organization),
        title=item["title"],
        slug=item["slug"],
        summary=item["summary"],
        description=item["description"],
        level=item["level"],
        jp=Decimal(item["jp"]),
        language=item["language"],
        learning_mode=item["learning_mode"],
        enrollment_policy=item["enrollment_policy"],
        cover_image=cover,
        certificate_enabled=certificate.get("enabled", True),
        signatory_name=certificate.get("signatory_name", ""),
        signatory_nip=certificate.get("signatory_nip", ""),
        signatory_title=certificate.get("signatory_title", ""),
    )
    for order, competency in enumerate(item["competencies"]):
        CourseCompetencyFactory(
            page=course,
            competency=Competency.objects.get(code=competency["code"]),
            target_level=competency["target_level"],
            sort_order=order,
        )
    _publish(course)
    report.add("courses")
    for module_item in item["modules"]:
        module = _publish(
            ModulePageFactory(
                parent=course, title=module_item["title"], summary=module_item["summary"]
            )
        )
        report.add("modules")
        for lesson_item in module_item["lessons"]:
            images = {
                block["value"]["image"]: image_for(block["value"]["image"], organization)
                for block in lesson_item["body"]
                if block["type"] == "image"
            }
            _publish(
                LessonPageFactory(
                    parent=module,
                    title=lesson_item["title"],
                    estimated_minutes=lesson_item["minutes"],
                    required_for_completion=lesson_item["required"],
                    transcript=lesson_item.get("transcript", ""),
                    body=[
                        _convert_block(
                            block, images, collection=organization.collection, report=report
                        )
                        for block in lesson_item["body"]
                    ],
                )
            )
            report.add("lessons")
    return course


def seed_resources(organizations: dict[str, Organization], report: SeedReport) -> None:
    for item in load("resources.json"):
        if ResourcePage.objects.filter(slug=item["slug"]).exists():
            continue
        organization = organizations[item["provider"]]
        body = [
            _convert_block(block, {}, collection=organization.collection, report=report)
            for block in item["body"]
        ]
        for document_item in item.get("documents", []):
            document = _document(
                title=document_item["title"],
                filename=document_item["filename"],
                text=document_item["text"],
                issuer=organization.name,
                collection=organization.collection,
                report=report,
            )
            body.append({"type": "document", "value": {"document": document.pk, "description": ""}})
        resource = ResourcePageFactory(
            parent=LibrarySectionPage.objects.get(organization=organization),
            title=item["title"],
            slug=item["slug"],
            kind=item["kind"],
            summary=item["summary"],
            body=body,
        )
        resource.competencies.set(Competency.objects.filter(code__in=item["competencies"]))
        _publish(resource)
        report.add("resources")


def _data_pages() -> list[tuple[type, dict]]:
    """Each lesson and library resource of the data files, with its page model."""
    lessons = [
        (LessonPage, lesson)
        for course in load("courses.json")["courses"]
        for module in course["modules"]
        for lesson in module["lessons"]
    ]
    return lessons + [(ResourcePage, resource) for resource in load("resources.json")]


def videos_repair(report: SeedReport) -> None:
    """Demo databases seeded before the videos shipped point them at a host that never existed:
    those blocks get the local video and its captions, in a newly published revision."""
    videos, titles = {}, {LessonPage: [], ResourcePage: []}
    for model, item in _data_pages():
        for block in item["body"]:
            if block["type"] == "video":
                videos[block["value"]["title"]] = block["value"]
                titles[model].append(item["title"])
    for model, names in titles.items():
        for page in model.objects.filter(title__in=names):
            _video_blocks_repair(page, videos, report)


def _video_blocks_repair(page, videos: dict[str, dict], report: SeedReport) -> None:
    body, repaired = [], False
    for block in page.body.raw_data:
        value = block["value"]
        if block["type"] == "video" and value.get("embed_url", "").startswith(_MISSING_VIDEO_HOST):
            provider = (
                page.provider
                if isinstance(page, ResourcePage)
                else (CoursePage.objects.ancestor_of(page).get().provider)
            )
            value = video_block_value(
                videos[value["title"]], collection=provider.collection, report=report
            )
            repaired = True
        body.append({"type": block["type"], "value": value, "id": block.get("id")})
    if repaired:
        page.body = body
        _publish(page)
        report.add("videos repaired")


def seed_home(courses: list[CoursePage]) -> HomePage:
    home = HomePage.objects.get()
    if not home.featured_courses.exists():
        for order, course in enumerate(courses[:6]):
            HomePageFeaturedCourse.objects.create(page=home, course=course, sort_order=order)
    if not home.intro:
        home.summary = (
            "Lentera adalah platform pembelajaran terbuka bagi Aparatur Sipil Negara: "
            "belajar kapan saja dan di mana saja untuk memenuhi hak 20 JP setiap tahun."
        )
        home.intro = (
            "<p>Kursus daring dari LAN, kementerian, perguruan tinggi dan mitra swasta, "
            "disusun berdasarkan kebutuhan nyata di lapangan dan umpan balik masyarakat. "
            "<b>Collaborate to Elevate.</b></p>"
        )
        _publish(home)
    return home


@dataclass(frozen=True)
class DemoAccount:
    """A demo account; its password is printed by `seed_demo` and listed in the README."""

    email: str
    full_name: str
    password: str
    role: str
    superuser: bool = False
    organization: str | None = None
    # "editors", "moderators" (Wagtail groups) or "admin" (organization admin, HR).
    membership: str | None = None
    account_kind: str = User.AccountKind.NON_ASN
    nip: str | None = None
    work_unit: str | None = None
    position: str | None = None
    rank_grade: str = ""


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin@lentera.localhost",
        "Administrator Lentera",
        "admin-lentera-2026",
        "Administrator",
        superuser=True,
    ),
    DemoAccount(
        "editor.lan@lentera.localhost",
        "Rina Kusumawati",
        "editor-lentera-2026",
        "Editor LAN",
        organization="lan",
        membership="editors",
    ),
    DemoAccount(
        "moderator.lan@lentera.localhost",
        "Bambang Sutrisno",
        "moderator-lentera-2026",
        "Moderator LAN",
        organization="lan",
        membership="moderators",
    ),
    DemoAccount(
        "editor.kemenpanrb@lentera.localhost",
        "Sari Wulandari",
        "editor-lentera-2026",
        "Editor KemenPANRB",
        organization="kemenpanrb",
        membership="editors",
    ),
    DemoAccount(
        "moderator.kemenpanrb@lentera.localhost",
        "Agus Prasetyo",
        "moderator-lentera-2026",
        "Moderator KemenPANRB",
        organization="kemenpanrb",
        membership="moderators",
    ),
    DemoAccount(
        "widyaiswara@lentera.localhost",
        "Dr. Hendra Gunawan",
        "pelatih-lentera-2026",
        "Trainer (widyaiswara)",
        organization="lan",
        account_kind=User.AccountKind.PNS,
        nip="197504122000031002",
        work_unit="Pusat Pengembangan Kompetensi Teknis dan Sosial Kultural",
        position="Widyaiswara Ahli Madya",
        rank_grade="Pembina, IV/a",
    ),
    DemoAccount(
        "hr.kemenpanrb@lentera.localhost",
        "Lina Marlina",
        "hr-lentera-2026",
        "Organization admin (HR), KemenPANRB",
        organization="kemenpanrb",
        membership="admin",
        account_kind=User.AccountKind.PNS,
        nip="198203152006042001",
        work_unit="Biro Sumber Daya Manusia dan Umum",
        position="Kepala Bagian Kepegawaian",
        rank_grade="Pembina, IV/a",
    ),
    DemoAccount(
        "peserta1@lentera.localhost",
        "Dewi Lestari",
        "peserta-lentera-2026",
        "Learner (PNS)",
        organization="kemenpanrb",
        account_kind=User.AccountKind.PNS,
        nip="199003212015032004",
        work_unit="Deputi Bidang Pelayanan Publik",
        position="Analis Kebijakan Ahli Muda",
        rank_grade="Penata, III/c",
    ),
    DemoAccount(
        "peserta2@lentera.localhost",
        "Yusuf Hidayat",
        "peserta-lentera-2026",
        "Learner (PPPK)",
        organization="kemenpanrb",
        account_kind=User.AccountKind.PPPK,
        nip="199507182023211003",
        work_unit="Deputi Bidang Sumber Daya Manusia Aparatur",
        position="Analis Sumber Daya Manusia Aparatur Ahli Pertama",
    ),
]


def seed_people(organizations: dict[str, Organization]) -> None:
    """Work units and positions (with their competency standards) of each organization."""
    data = load("people.json")
    for key, names in data["work_units"].items():
        for name in names:
            WorkUnit.objects.get_or_create(organization=organizations[key], name=name, parent=None)
    for key, positions in data["positions"].items():
        for item in positions:
            position, created = Position.objects.get_or_create(
                organization=organizations[key], name=item["name"]
            )
            if created:
                for code, level in item["competencies"]:
                    PositionCompetencyFactory(
                        position=position,
                        competency=Competency.objects.get(code=code),
                        target_level=level,
                    )


def seed_accounts(organizations: dict[str, Organization], report: SeedReport) -> list[DemoAccount]:
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(email=account.email).exists():
            continue
        organization = organizations.get(account.organization) if account.organization else None
        user = UserFactory(
            email=account.email,
            full_name=account.full_name,
            password=account.password,
            is_superuser=account.superuser,
            is_staff=account.superuser,
            account_kind=account.account_kind,
            nip=account.nip,
            organization=organization if account.account_kind != "non_asn" else None,
            work_unit=(
                WorkUnit.objects.get(organization=organization, name=account.work_unit)
                if account.work_unit
                else None
            ),
            position=(
                Position.objects.get(organization=organization, name=account.position)
                if account.position
                else None
            ),
            rank_grade=account.rank_grade,
        )
        if account.membership in ("editors", "moderators"):
            user.groups.add(getattr(organization, f"{account.membership}_group"))
        elif account.membership == "admin":
            OrganizationRoleFactory(user=user, organization=organization)
        report.add("accounts")
    return DEMO_ACCOUNTS


def _lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def seed_learning(report: SeedReport) -> None:
    """Learning history for the demo learners: a completed course with its certificate,
    courses in progress and a pending request, so every learner page shows real data."""
    courses = {course.slug: course for course in CoursePage.objects.live()}
    trainer = User.objects.get(email="widyaiswara@lentera.localhost")
    for slug in ("coaching-dan-mentoring-bagi-atasan", "integritas-dan-antikorupsi-asn"):
        CourseTrainer.objects.get_or_create(course=courses[slug], user=trainer)
    supervisor = User.objects.get(email="hr.kemenpanrb@lentera.localhost")
    User.objects.filter(
        email__in=["peserta1@lentera.localhost", "peserta2@lentera.localhost"]
    ).update(
        # Confirmed as the supervisor would (learners.supervisors), so endorsements work.
        supervisor=supervisor,
        supervisor_accepted_at=timezone.now(),
        supervisor_confirmed_at=timezone.now(),
    )

    dewi = User.objects.get(email="peserta1@lentera.localhost")
    if not dewi.enrollments.exists():
        services.enrollment_create(user=dewi, course=courses["integritas-dan-antikorupsi-asn"])
        for lesson in _lessons(courses["integritas-dan-antikorupsi-asn"]):
            progress.lesson_complete(user=dewi, lesson=lesson)
        services.enrollment_create(user=dewi, course=courses["pelayanan-publik-prima-berbasis-skm"])
        for lesson in _lessons(courses["pelayanan-publik-prima-berbasis-skm"])[:2]:
            progress.lesson_complete(user=dewi, lesson=lesson)
        services.enrollment_create(user=dewi, course=courses["coaching-dan-mentoring-bagi-atasan"])
        report.add("enrollments", 3)

    yusuf = User.objects.get(email="peserta2@lentera.localhost")
    if not yusuf.enrollments.exists():
        services.enrollment_create(
            user=yusuf, course=courses["literasi-data-dan-statistik-untuk-asn"]
        )
        for lesson in _lessons(courses["literasi-data-dan-statistik-untuk-asn"])[:1]:
            progress.lesson_complete(user=yusuf, lesson=lesson)
        report.add("enrollments", 1)
    # Checked course by course: demo databases seeded before gave Yusuf the course above only.
    protection = courses["keamanan-informasi-dan-pelindungan-data-pribadi"]
    if not yusuf.enrollments.filter(course=protection).exists():
        services.enrollment_create(user=yusuf, course=protection)
        for lesson in _lessons(protection):
            progress.lesson_complete(user=yusuf, lesson=lesson)
        report.add("enrollments", 1)
    coaching = courses["coaching-dan-mentoring-bagi-atasan"]
    if not yusuf.enrollments.filter(course=coaching).exists():
        services.enrollment_create(user=yusuf, course=coaching)
        report.add("enrollments", 1)


@transaction.atomic
def seed_demo(*, with_accounts: bool) -> SeedReport:
    """Seed the whole demo: site skeleton, competencies, providers, courses, library, accounts."""
    report = SeedReport()
    site_structure_ensure()
    seed_competencies(report)
    organizations = seed_organizations(report)
    courses = seed_courses(organizations, report)
    seed_resources(organizations, report)
    videos_repair(report)
    seed_home(courses)
    seed_people(organizations)
    if with_accounts:
        seed_accounts(organizations, report)
        seed_learning(report)
        seed_staff(organizations, report)
    # After the learning history: quizzes join courses some demo learners already finished.
    seed_quizzes(report)
    # Likewise after the learning history: a SCORM and an H5P lesson join a completed course.
    seed_packages(report)
    if with_accounts:
        seed_evaluation(report)
        seed_cohorts(report)
        seed_discussions(report)
        seed_coaching(report)
        seed_development(report)
        seed_paths(report)
        # After development and paths: the plan is realised by a verified seminar, and the
        # course it completes is a step of Dewi's path.
        seed_planning(report)
        # Last: the attended hours become development records, which the seeds above
        # take as a sign they already ran when they find records of their own people.
        seed_live_sessions(report)
        # An assignment lesson of the running cohort's course: one analysis awaiting the
        # widyaiswara's grade, one graded.
        seed_assignments(report)
        # A leadership cohort with a change project in progress and one in the gallery.
        seed_projects(report)
    seed_search(report)
    # The demo writes completions in bulk and moves their dates: count every stored progress.
    progress.recount_progress()
    return report

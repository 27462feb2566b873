"""`seed_demo` builds the realistic catalog once, and a second run changes nothing; what the
README's "Demo accounts" section promises is what it seeds."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone, translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from coaching.models import CoachingSession
from cohorts.models import Cohort
from compliance.reports import ComplianceFilters, compliance_report, pns_below_target
from content.models import Competency, Organization, ResourcePage
from courses.models import CoursePage, LessonPage, ModulePage
from demo.staff import STAFF, staff_email
from development.models import DevelopmentRecord
from discussions.models import Announcement, Community, Post, Thread
from learners.models import Certificate, Enrollment, User
from learners.nip import nip_parse
from learners.permissions import organizations_administered
from live.models import Attendance, LiveSession
from notifications.models import Notification
from paths.models import LearningPathPage
from paths.selectors import path_progress
from planning.models import DevelopmentPlan
from planning.selectors import Source, competency_profile, plan_realisation
from projects.models import ChangeProject
from search.catalog import CatalogFilters, catalog_search
from search.recommendations import recommendations_for
from tests.utils import PROVIDERS

pytestmark = pytest.mark.django_db

COUNTED = [
    Page,
    CoursePage,
    ModulePage,
    LessonPage,
    ResourcePage,
    Organization,
    Competency,
    User,
    Enrollment,
    get_image_model(),
    get_document_model(),
    Thread,
    Post,
    Announcement,
    Community,
    LiveSession,
    Attendance,
]


def _primary_keys() -> dict[str, list[int]]:
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in COUNTED}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """`seed_demo` run once for the module, indexing for search as in production, and rolled
    back after it: each run costs several seconds of CPU, and the tests below only read."""
    indexing = {
        name: {**backend, "AUTO_UPDATE": True}
        for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(WAGTAILSEARCH_BACKENDS=indexing),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("seeded", "search_index")
def test_seed_demo_is_idempotent_and_realistic():
    first = _primary_keys()
    call_command("seed_demo", stdout=io.StringIO())
    assert _primary_keys() == first

    # Coaching logs: a session verified by the supervisor's confirmation, one waiting for the
    # supervisor, a mentoring session with a widyaiswara waiting for verification.
    coaching_records = DevelopmentRecord.objects.filter(coaching_session__isnull=False)
    assert sorted(coaching_records.values_list("owner__email", "form__code", "status")) == [
        ("peserta1@lentera.localhost", "coaching", "verified"),
        ("peserta2@lentera.localhost", "mentoring", "submitted"),
    ]
    assert CoachingSession.objects.filter(record__isnull=True).count() == 1

    # Development outside courses: each status a supervisor's decision leaves, with evidence.
    own_records = DevelopmentRecord.objects.filter(
        coaching_session__isnull=True, live_attendance__isnull=True
    )
    assert sorted(own_records.values_list("owner__email", "form__code", "status")) == [
        ("peserta1@lentera.localhost", "belajar-mandiri", "submitted"),
        ("peserta1@lentera.localhost", "seminar", "verified"),
        ("peserta1@lentera.localhost", "workshop", "rejected"),
        ("peserta2@lentera.localhost", "bimbingan-teknis", "verified"),
        ("peserta2@lentera.localhost", "patok-banding", "changes_requested"),
    ]
    seminar = own_records.get(form__code="seminar")
    assert seminar.jp_credited == 4  # 6 hours, capped at the seminar's 4 JP an activity
    assert seminar.evidence_files.get().content_type == "application/pdf"

    # A learning path toward a position, with course and non-classical steps, that Dewi follows
    # and has done part of.
    path = LearningPathPage.objects.live().get(title="Menuju Analis Kebijakan Ahli Muda")
    assert path.target_position.name == "Analis Kebijakan Ahli Muda"
    dewi = User.objects.get(email="peserta1@lentera.localhost")
    progress = path_progress(user=dewi, path=path)
    assert progress.following
    assert 0 < progress.required_done < progress.required_count
    assert {state.step.is_course for state in progress.steps} == {True, False}

    # Dewi's competency profile has evidence of every source, and her agreed plan for this
    # year is partly realised.
    profile = competency_profile(dewi)
    sources = {item.source for row in profile.required for item in row.evidence.values()}
    assert sources == {Source.SELF_ASSESSMENT, Source.POST_TEST, Source.SUPERVISOR}
    assert profile.gaps and any(row.gap == 0 for row in profile.required)
    plan = DevelopmentPlan.objects.get(user=dewi, year=timezone.localdate().year)
    assert plan.status == DevelopmentPlan.Status.AGREED
    realisation = plan_realisation(plan, today=timezone.localdate())
    assert 0 < realisation.items_realised < len(realisation.items)

    assert Organization.objects.count() >= 4
    assert set(Organization.objects.values_list("kind", flat=True)) >= {
        "lan",
        "ministry",
        "university",
        "company",
    }
    assert Competency.objects.filter(kind="manajerial").count() == 8
    assert Competency.objects.filter(kind="sosial_kultural").count() == 1
    assert Competency.objects.filter(kind="teknis").count() >= 4
    courses = CoursePage.objects.live()
    assert courses.count() >= 10
    assert len({course.course_competencies.first().competency.kind for course in courses}) >= 3
    for course in courses:
        modules = ModulePage.objects.child_of(course)
        assert modules.count() >= 2
        for module in modules:
            assert LessonPage.objects.child_of(module).count() >= 2
    assert ResourcePage.objects.live().count() >= 6
    assert User.objects.filter(is_superuser=True).exists()
    _demo_hr_admin_sees_compliance_per_unit()


def _demo_hr_admin_sees_compliance_per_unit():
    hr = User.objects.get(email="hr.kemenpanrb@lentera.localhost")
    [organization] = organizations_administered(hr)
    year = timezone.localdate().year
    report = compliance_report(organization=organization, filters=ComplianceFilters(year=year))
    percents = [unit.percent for unit in report.units if unit.unit_id is not None]
    assert len(percents) >= 3
    assert max(percents) >= 60 and min(percents) <= 30  # some units compliant, others not
    assert report.staff >= 30 and 0 < report.compliant < report.staff
    assert report.pppk_staff >= 5 and report.pppk_at_cap >= 1
    last_year = pns_below_target(
        organization=organization, filters=ComplianceFilters(year=year - 1)
    )
    assert any(row["jp"] for row in last_year)  # some history the year before, too
    staff = User.objects.filter(email__in=[staff_email(member) for member in STAFF])
    assert staff.count() == len(STAFF)
    for nip, kind in staff.values_list("nip", "account_kind"):
        assert nip_parse(nip).kind == kind
    assert not staff.filter(password__regex=r"^[^!]").exists()  # nobody can sign in as them

    client = Client()
    client.force_login(hr)
    response = client.get("/kepatuhan/", follow=True)
    assert response.status_code == 200
    assert response.context["report"].units == report.units

    # The demo learner is recommended a course for her endorsed learning need.
    dewi = User.objects.get(email="peserta1@lentera.localhost")
    with translation.override("en"):
        recommendations = recommendations_for(dewi)
    assert ("Writing Policy Briefs in English", "because you need Komunikasi level 3") in [
        (item.course.title, item.reason) for item in recommendations if item.kind == "need"
    ]

    # Searching in Indonesian finds the demo courses, a stemmed form too.
    def titles(query):
        search = catalog_search(filters=CatalogFilters(query=query), page_number=1)
        return [result.course.title for result in search.results]

    service = "Pelayanan Publik Prima Berbasis Survei Kepuasan Masyarakat"
    assert service in titles("pelayanan publik")
    assert "Integritas dan Antikorupsi bagi ASN" in titles("gratifikasi")
    assert "Penyusunan SKP dan Dialog Kinerja" in titles("sasaran kinerja pegawai")  # synonym
    assert service in titles("melayani")
    # The demo trainer's cohort shows learners at risk and charts.
    trainer = User.objects.get(email="widyaiswara@lentera.localhost")
    client.force_login(trainer)
    cohort = trainer.trained_cohorts.get(name="Angkatan I Tahun 2026")
    page = client.get(f"/en/pelatih/kelas/{cohort.pk}/")
    assert page.context["summary"].at_risk > 0 and page.context["summary"].completed > 0
    assert page.text.count("<svg") == 3
    # Its discussion: the announcement on top, a question answered by a learner and the trainer;
    # the course's own has Dewi's question with the trainer's answer, accepted.
    discussion = client.get(f"/en/diskusi/kelas/{cohort.pk}/").text
    assert discussion.index("Sesi tatap muka Kamis") < discussion.index("Tugas studi kasus modul 2")
    [asked] = Thread.objects.filter(cohort=None, course=cohort.course)
    assert asked.author.email == "peserta1@lentera.localhost" and asked.lesson is not None
    assert asked.accepted_answer.by_trainer
    assert Post.objects.filter(thread__cohort=cohort, is_question=False).count() == 2
    # Communities of practice: the policy analysts' topic with the widyaiswara's reply that
    # mentions Dewi (who is told), a shared guide and a coming online meeting.
    policy = Community.objects.get(slug="analis-kebijakan")
    assert policy.moderators.filter(email="widyaiswara@lentera.localhost").exists()
    community_page = client.get(f"/en/komunitas/{policy.slug}/").text
    assert "Contoh analisis dampak regulasi" in community_page
    assert "Temu daring: belajar dari RIA" in community_page
    assert policy.resources.count() == 1
    assert Notification.objects.filter(
        kind="mention", recipient__email="peserta1@lentera.localhost"
    ).exists()
    # Its live sessions: last week's online class with its attendance, whose hours count as
    # verified records of those present, and Thursday's session in a meeting room.
    held, coming = LiveSession.objects.filter(cohort=cohort).order_by("starts_at")
    assert held.ends_at < timezone.now() < coming.starts_at
    present = held.attendances.filter(present=True)
    assert present.count() > 0 and held.attendances.filter(present=False).exists()
    assert set(
        DevelopmentRecord.objects.filter(status="verified", live_attendance__session=held)
    ) == {attendance.record for attendance in present}
    sessions_page = client.get(f"/en/kelas/{cohort.pk}/sesi/").text
    assert "Sesi tatap muka: studi kasus modul 2" in sessions_page
    assert "Kelas daring: mengenali gratifikasi" in sessions_page
    # Thursday's session is in its members' notifications, its e-mails recorded as sent.
    assert Notification.objects.filter(kind="session_scheduled", subject=coming.title).exists()
    assert coming.notices.exists() and not coming.notices.filter(sent_at=None).exists()
    # Change projects: Dewi's in progress, mentored by her supervisor and coached by the
    # widyaiswara; Agus's published in the innovation gallery.
    assert ChangeProject.objects.filter(status=ChangeProject.Status.IN_PROGRESS).count() == 1
    dewi = ChangeProject.objects.get(learner__email="peserta1@lentera.localhost")
    assert dewi.coach.email == "widyaiswara@lentera.localhost"
    assert dewi.mentor == dewi.learner.supervisor
    published = ChangeProject.objects.get(published_at__isnull=False)
    assert published.learner.full_name == "Agus Prasetyo"
    gallery = client.get("/en/inovasi/").text
    assert published.title in gallery and dewi.title not in gallery


# The README's promises

# The largest a committed demo video may be: the repository stays small.
VIDEO_MAX_BYTES = 300 * 1024


def _demo_section() -> str:
    text = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    start = text.index("## Demo accounts")
    return " ".join(text[start : text.index("\n## ", start + 1)].split())


def _video_blocks() -> list[dict]:
    pages = [*LessonPage.objects.live(), *ResourcePage.objects.live()]
    return [block.value for page in pages for block in page.body if block.block_type == "video"]


@pytest.mark.usefixtures("seeded")
def test_readme_demo_claims_hold(client):
    """What the README's "Demo accounts" section promises is what `seed_demo` seeds: its
    counts, the accounts table, both learners' history, the trainer's cohorts, the URLs it
    names, and videos that play (local WebM files with Indonesian WebVTT captions)."""
    section = _demo_section()

    counts = {
        kind: int(number)
        for number, kind in re.findall(
            r"(\d+) (providers|courses|short narrated videos with Indonesian captions)", section
        )
    }
    videos = _video_blocks()
    assert counts == {
        # Not the suite's own two organizations, set up in every test database (tests/conftest).
        "providers": Organization.objects.exclude(
            slug__in=[fields["slug"] for fields in PROVIDERS.values()]
        ).count(),
        "courses": CoursePage.objects.live().count(),
        "short narrated videos with Indonesian captions": len(videos),
    }

    accounts = re.findall(r"\| ([^|]+?) \| `([^`]+@lentera\.localhost)` \| `([^`]+)` \|", section)
    assert len(accounts) == 9
    for role, email, password in accounts:
        user = User.objects.get(email=email)
        assert user.check_password(password), email
        assert user.is_superuser == ("superuser" in role), email

    assert (
        "each demo learner already has a completed course with its certificate, a course in "
        "progress and a pending request" in section
    )
    for email in ("peserta1@lentera.localhost", "peserta2@lentera.localhost"):
        statuses = list(
            Enrollment.objects.filter(user__email=email).values_list("status", flat=True)
        )
        assert Enrollment.Status.ACTIVE in statuses, email
        assert Enrollment.Status.PENDING in statuses, email
        assert Certificate.objects.filter(
            enrollment__user__email=email, enrollment__status=Enrollment.Status.COMPLETED
        ).exists(), email

    [cohort_size] = re.findall(r"The demo trainer runs a cohort of (\d+) learners", section)
    trained = Cohort.objects.filter(trainers__email="widyaiswara@lentera.localhost")
    assert int(cohort_size) in [cohort.memberships.count() for cohort in trained]
    assert "an upcoming cohort open to join" in section
    assert trained.filter(starts_on__gt=timezone.localdate()).exists()

    # The URLs the section names answer.
    assert "`/accounts/login/`" in section and client.get("/accounts/login/").status_code == 200
    editor = User.objects.get(email="editor.lan@lentera.localhost")
    client.force_login(editor)
    assert "`/admin/`" in section and client.get("/admin/").status_code == 200
    yusuf = User.objects.get(email="peserta2@lentera.localhost")
    completed = yusuf.enrollments.get(status=Enrollment.Status.COMPLETED)
    client.force_login(yusuf)
    assert client.get(f"/saya/evaluasi/{completed.pk}/").status_code == 200

    _demo_videos_play(client, videos)


def _demo_videos_play(client, videos: list[dict]) -> None:
    """Each demo video is a small local WebM with Indonesian captions served as text/vtt."""
    assert len(videos) == 7
    for value in videos:
        video, [captions] = value["video_file"], value["captions"]
        assert not value["embed_url"]
        assert video.file_extension == "webm" and video.file_size <= VIDEO_MAX_BYTES
        with video.file.open("rb") as file:
            assert file.read(4) == b"\x1a\x45\xdf\xa3"  # EBML: a WebM (Matroska) file
        assert captions["language"] == "id"
        assert captions["file"].file_extension == "vtt"
        response = client.get(captions["file"].url)
        assert response["Content-Type"] == "text/vtt"
        assert b"".join(response.streaming_content).startswith(b"WEBVTT\n")
    lesson = LessonPage.objects.live().get(title="Integritas sebagai Fondasi Kepercayaan Publik")
    html = client.get(lesson.url).content.decode()
    assert '<track kind="captions"' in html and 'srclang="id"' in html
    assert 'type="video/webm"' in html

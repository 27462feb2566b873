"""What the README's "Demo accounts" section promises is what `seed_demo` seeds: its counts, the
accounts table, both learners' history, the trainer's cohorts, the URLs it names, and videos that
play (local WebM files with Indonesian WebVTT captions)."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model

from cohorts.models import Cohort
from content.models import Organization, ResourcePage
from courses.factories import LessonPageFactory
from courses.models import CoursePage, LessonPage, ModulePage
from demo.builders import SeedReport, videos_repair
from learners.models import Certificate, Enrollment, User

pytestmark = pytest.mark.django_db

Document = get_document_model()
# The largest a committed demo video may be: the repository stays small.
VIDEO_MAX_BYTES = 300 * 1024


def _demo_section() -> str:
    text = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    start = text.index("## Demo accounts")
    return " ".join(text[start : text.index("\n## ", start + 1)].split())


def _video_blocks() -> list[dict]:
    pages = [*LessonPage.objects.live(), *ResourcePage.objects.live()]
    return [block.value for page in pages for block in page.body if block.block_type == "video"]


def test_readme_demo_claims_hold(client):
    call_command("seed_demo", stdout=io.StringIO())
    section = _demo_section()

    counts = {
        kind: int(number)
        for number, kind in re.findall(
            r"(\d+) (providers|courses|short narrated videos with Indonesian captions)", section
        )
    }
    videos = _video_blocks()
    assert counts == {
        "providers": Organization.objects.count(),
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


def test_videos_repair_replaces_the_missing_host_with_the_local_video(course_a):
    """Demo databases seeded before the videos shipped point at video.lentera.example."""
    module = ModulePage.objects.child_of(course_a).first()
    lesson = LessonPageFactory(
        parent=module,
        title="Integritas sebagai Fondasi Kepercayaan Publik",
        body=[
            {
                "type": "video",
                "value": {
                    "title": "Mengapa integritas penting bagi pelayanan publik",
                    "video_file": None,
                    "embed_url": "https://video.lentera.example/lntrIntgr01",
                    "transcript": "Teks lama.",
                },
            }
        ],
    )
    lesson.save_revision().publish()
    report = SeedReport()
    videos_repair(report)
    [block] = LessonPage.objects.get(pk=lesson.pk).body
    assert block.value["embed_url"] == ""
    assert (
        block.value["video_file"].title == "Video: Mengapa integritas penting bagi pelayanan publik"
    )
    assert block.value["video_file"].collection == course_a.provider.collection
    assert block.value["captions"][0]["file"].file_extension == "vtt"
    assert report.created == {"documents": 2, "videos repaired": 1}
    videos_repair(SeedReport())  # a second run finds nothing to repair
    assert Document.objects.count() == 2

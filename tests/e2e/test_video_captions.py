"""A lesson video as the demo ships it, in a real browser on a phone and a desktop: the local
WebM loads and plays, its Indonesian captions track loads, the feedback index is one footer link
away, and no page asks for a missing icon."""

import pytest
from playwright.sync_api import Page, expect

from courses.factories import LessonPageFactory, course_with_lessons, provider_page_of
from courses.models import ModulePage
from demo.builders import SeedReport, video_block_value
from learners import services
from learners.factories import UserFactory
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page

pytestmark = E2E

# What the page's <video> reports once it has played a moment: its ready state, any media error,
# and each text track with how far its cues loaded.
VIDEO_STATE = """(video) => ({
    readyState: video.readyState,
    error: video.error && video.error.code,
    played: video.currentTime,
    tracks: Array.from(video.querySelectorAll('track')).map((track) => ({
        kind: track.kind, srclang: track.srclang, label: track.label,
        readyState: track.readyState, cues: track.track.cues ? track.track.cues.length : 0,
    })),
})"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_demo_lesson_video_plays_with_indonesian_captions(
    page: Page, provider, base_url, sign_in, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    course = course_with_lessons(provider_page=provider_page_of(provider), title="Integritas ASN")
    module = ModulePage.objects.child_of(course).first()
    data = {
        "title": "Mengapa integritas penting bagi pelayanan publik",
        "video": "integritas-menolak-amplop",
        "transcript": "Video ini menampilkan kisah seorang petugas layanan perizinan.",
    }
    value = video_block_value(data, collection=provider.collection, report=SeedReport())
    lesson = LessonPageFactory(
        parent=module, title="Video integritas", body=[{"type": "video", "value": value}]
    )
    lesson.save_revision().publish()
    learner = UserFactory(email="dewi@instansi.go.id")
    services.enrollment_create(user=learner, course=course)
    sign_in(learner)

    missing: list[str] = []
    page.on("response", lambda response: response.status >= 400 and missing.append(response.url))
    page.goto(lesson.url)
    video = page.locator("video.video__player")
    expect(video).to_be_visible()
    expect(page.locator('video track[kind="captions"][srclang="id"][default]')).to_have_count(1)
    check_page(page, name=f"lesson video ({viewport})")

    video.evaluate("(video) => { video.muted = true; return video.play(); }")
    page.wait_for_function(
        """() => {
            const video = document.querySelector('video.video__player');
            const track = video.querySelector('track');
            return video.readyState >= 2 && video.currentTime > 0 && track.readyState === 2;
        }""",
        timeout=20_000,
    )
    state = video.evaluate(VIDEO_STATE)
    assert state["error"] is None
    assert state["readyState"] >= 2
    [track] = state["tracks"]
    assert track["kind"] == "captions" and track["srclang"] == "id"
    assert track["label"] == "Bahasa Indonesia"
    assert track["readyState"] == 2 and track["cues"] > 5  # the whole WebVTT file parsed

    footer_link = page.locator("footer").get_by_role("link", name=_("Public service feedback"))
    footer_link.click()
    expect(page).to_have_url(f"{base_url}/umpan-balik/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Public service feedback"))
    check_page(page, name=f"feedback index ({viewport})")
    assert not missing, missing  # no 404 for /favicon.ico or anything else

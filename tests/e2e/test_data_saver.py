"""Data-saver mode in Chromium: a figure inside its closed <details> is not downloaded until the
learner opens it (no JavaScript involved), and then the browser takes a modern format; the
footer switch works with JavaScript off."""

from pathlib import Path
from urllib.parse import urlsplit

import wagtail_factories
from django.conf import settings
from playwright.sync_api import Browser, Page, Route, expect

from content.factories import figure, paragraph
from courses.factories import LessonPageFactory, course_with_lessons, provider_page_of
from courses.models import ModulePage
from tests.e2e.helpers import E2E, VIEWPORTS, check_page

pytestmark = E2E


def _figure_lesson(provider):
    course = course_with_lessons(provider_page=provider_page_of(provider), title="Alur layanan")
    module = ModulePage.objects.child_of(course).first()
    image = wagtail_factories.ImageFactory(
        title="Diagram", file__width=1600, file__height=900, file__filename="diagram.jpg"
    )
    body = [paragraph("Pengantar materi.")]
    # Pushed below the fold on a phone, as a lesson's later figures are: a lazy image there is
    # not fetched yet in any mode, so this also checks that opening the summary fetches it.
    body += [paragraph("Teks materi yang panjang. " * 40) for _ in range(3)]
    body.append(figure(image.pk, "Diagram alur layanan", "Alur layanan perizinan"))
    lesson = LessonPageFactory(parent=module, title="Pelajaran bergambar", body=body)
    lesson.save_revision().publish()
    return lesson


def _serve_media(route: Route) -> None:
    """The live server serves no media (DEBUG is off): answer from MEDIA_ROOT."""
    path = Path(settings.MEDIA_ROOT) / urlsplit(route.request.url).path.removeprefix(
        settings.MEDIA_URL
    )
    if not path.is_file():
        route.fulfill(status=404)
        return
    types = {".avif": "image/avif", ".webp": "image/webp", ".jpg": "image/jpeg"}
    route.fulfill(body=path.read_bytes(), content_type=types.get(path.suffix, "image/jpeg"))


def test_data_saver_figure_is_fetched_only_when_opened(browser: Browser, base_url, provider):
    lesson = _figure_lesson(provider)
    context = browser.new_context(
        base_url=base_url,
        viewport=VIEWPORTS["mobile"],
        locale="id-ID",
        extra_http_headers={"Save-Data": "on"},
    )
    page: Page = context.new_page()
    page.route(f"**{settings.MEDIA_URL}**", _serve_media)
    images: list[str] = []
    page.on(
        "request",
        lambda request: (
            request.resource_type == "image"
            and settings.MEDIA_URL in request.url
            and images.append(request.url)
        ),
    )

    page.goto(lesson.url)
    summary = page.locator("details.figure__on-request summary")
    summary.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)

    assert images == []  # in view, closed: nothing downloaded
    expect(summary).to_contain_text("Tampilkan gambar (hingga ")

    summary.click()
    img = page.locator("details.figure__on-request img")
    expect(img).to_be_visible()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle()
    )

    assert len(images) == 1
    assert images[0].endswith(".avif")  # the first <source> Chromium supports
    assert ".width-480." in images[0] or ".width-800." in images[0]
    check_page(page, name="lesson in data-saver mode, figure opened")
    context.close()


def test_without_data_saver_the_figure_shows_as_a_picture(browser: Browser, base_url, provider):
    lesson = _figure_lesson(provider)
    context = browser.new_context(base_url=base_url, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.route(f"**{settings.MEDIA_URL}**", _serve_media)

    page.goto(lesson.url)
    img = page.locator("figure picture img")
    img.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle()
    )

    assert urlsplit(img.evaluate("(img) => img.currentSrc")).path.endswith(".avif")
    assert page.locator("details.figure__on-request").count() == 0
    context.close()


def test_footer_switch_works_without_javascript(browser: Browser, base_url, provider):
    lesson = _figure_lesson(provider)
    context = browser.new_context(
        base_url=base_url, viewport=VIEWPORTS["mobile"], java_script_enabled=False
    )
    page = context.new_page()

    page.goto(lesson.url)
    page.get_by_role("button", name="Aktifkan hemat data").click()

    page.wait_for_url(f"**{lesson.url}")
    expect(page.locator("details.figure__on-request")).to_have_count(1)
    page.get_by_role("button", name="Matikan hemat data").click()
    page.wait_for_url(f"**{lesson.url}")
    expect(page.locator("details.figure__on-request")).to_have_count(0)
    expect(page.locator("figure picture img")).to_have_count(1)
    context.close()


def test_a_sharp_phone_takes_at_most_the_800_px_rendition(browser: Browser, base_url, provider):
    """A 3× phone would pick the 1200 px image from the full srcset; the phones' source keeps it
    to the renditions that "Save for offline" stores."""
    lesson = _figure_lesson(provider)
    context = browser.new_context(
        base_url=base_url, viewport=VIEWPORTS["mobile"], device_scale_factor=3
    )
    page = context.new_page()
    page.route(f"**{settings.MEDIA_URL}**", _serve_media)

    page.goto(lesson.url)
    img = page.locator("figure picture img")
    img.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle()
    )

    current = urlsplit(img.evaluate("(img) => img.currentSrc")).path
    assert ".width-800.format-avif" in current
    context.close()

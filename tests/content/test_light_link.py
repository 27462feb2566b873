"""Light on a slow link: compressed HTML, data-saver mode (the `Save-Data` header or the footer
switch), figures as <picture> with modern formats, shown on request in data-saver mode, and quiet
video embeds."""

import gzip
import io

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model

from content.data_saver import COOKIE_NAME
from content.embeds import quiet_embed_html
from content.factories import figure, paragraph
from content.figures import FIGURE_RENDITION_SPECS, PHONE_RENDITION_SPECS
from courses.factories import LessonPageFactory
from courses.models import ModulePage
from tests.utils import count_queries, csv_download

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://www.youtube.com/watch?v=abcdefghijk"
YOUTUBE_PLAYER = (
    '<iframe width="200" height="113" src="https://www.youtube.com/embed/abcdefghijk'
    '?feature=oembed&amp;autoplay=1" frameborder="0" allow="accelerometer; autoplay; '
    'clipboard-write; encrypted-media" allowfullscreen title="Contoh"></iframe>'
)


def _image(title="Diagram alur", width=1600, height=900):
    return wagtail_factories.ImageFactory(
        title=title, file__width=width, file__height=height, file__filename=f"{title}.jpg"
    )


def _lesson(course, body, title="Pelajaran ringan"):
    module = ModulePage.objects.child_of(course).first()
    return LessonPageFactory(parent=module, title=title, body=body)


def _figure_lesson(course, images: int = 1, title="Pelajaran bergambar"):
    body = [paragraph("Pengantar materi.")]
    body += [
        figure(_image(f"{title} {n}").pk, f"Alur layanan {n}", "Keterangan") for n in range(images)
    ]
    return _lesson(course, body, title=title)


def _video_lesson(course):
    return _lesson(
        course,
        [
            {
                "type": "video",
                "value": {
                    "title": "Contoh pelayanan prima",
                    "video_file": None,
                    "embed_url": VIDEO_URL,
                    "transcript": "Petugas menyapa warga dan menjelaskan persyaratan.",
                },
            }
        ],
        title="Pelajaran video",
    )


def _cache_player():
    Embed.objects.create(
        url=VIDEO_URL,
        max_width=None,
        hash="h",
        type="video",
        html=YOUTUBE_PLAYER,
        provider_name="YouTube",
    )


def _html(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


# HTML compression (Django's GZipMiddleware, text only)


def test_html_is_compressed_for_browsers_that_accept_gzip(client, course_a):
    lesson = _figure_lesson(course_a)

    response = client.get(lesson.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "gzip"
    assert {"accept-encoding", "save-data", "cookie"} <= _vary(response)
    html = gzip.decompress(response.content).decode()
    assert "Pelajaran bergambar" in html
    assert int(response["Content-Length"]) == len(response.content) < len(html.encode())


def test_html_is_plain_for_browsers_that_do_not_accept_gzip(client, course_a):
    lesson = _figure_lesson(course_a)

    response = client.get(lesson.url)

    assert not response.has_header("Content-Encoding")
    assert "Pelajaran bergambar" in response.content.decode()
    assert "accept-encoding" in _vary(response)


def test_streamed_csv_exports_are_compressed_and_still_read(client_for):
    from learners.factories import UserFactory

    client = client_for(UserFactory())
    response = client.get(reverse("development:jp_ledger_csv"), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(response.streaming_content))

    class Decompressed:
        streaming = False
        content = body

    assert csv_download(Decompressed())[0]  # the header row, after the byte order mark


def test_file_downloads_are_not_recompressed(client, course_a):
    """A PDF or a video served through Django keeps its bytes and its Content-Length."""
    data = b"%PDF-1.4\n" + b"0" * 5000
    document = wagtail_factories.DocumentFactory(
        title="Panduan", file__data=data, file__filename="panduan.pdf"
    )

    response = client.get(document.url, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    # (Wagtail's document view writes "None" there itself.)
    assert response.get("Content-Encoding") != "gzip"
    assert "accept-encoding" not in _vary(response)
    assert int(response["Content-Length"]) == len(data)
    assert b"".join(response.streaming_content) == data


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [
        ("application/pdf", False),  # certificates
        ("video/mp4", False),
        ("image/jpeg", False),
        ("text/html; charset=utf-8", True),
        ("text/csv; charset=utf-8", True),  # exports
        ("application/json", True),
        ("text/javascript", True),  # the service worker
    ],
)
def test_only_text_is_compressed(rf, content_type, compressed):
    from django.http import FileResponse

    from lentera.compression import TextGZipMiddleware

    data = b"x" * 5000
    middleware = TextGZipMiddleware(lambda request: FileResponse(io.BytesIO(data)))
    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")

    def respond(request):
        response = FileResponse(io.BytesIO(data), content_type=content_type)
        response["Content-Length"] = str(len(data))
        return response

    middleware.get_response = respond
    response = middleware(request)
    body = b"".join(response.streaming_content)

    if compressed:
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == data
    else:
        assert not response.has_header("Content-Encoding")
        assert response["Content-Length"] == str(len(data))
        assert body == data


# Data-saver mode: the header, the switch


def test_save_data_header_turns_data_saver_on(client, course_a):
    lesson = _figure_lesson(course_a)

    page = _html(client.get(lesson.url, HTTP_SAVE_DATA="on"))

    assert page.select_one("details.figure__on-request picture")
    toggle = page.select_one("form.data-saver")
    assert toggle.select_one('input[name="data_saver"]')["value"] == "off"


def test_without_header_or_choice_figures_show_at_once(client, course_a):
    lesson = _figure_lesson(course_a)

    page = _html(client.get(lesson.url))

    assert page.select_one("figure.figure > picture")
    assert not page.select("details.figure__on-request")
    assert page.select_one('form.data-saver input[name="data_saver"]')["value"] == "on"


def test_switch_turns_data_saver_on_and_back_off_without_javascript(client, course_a):
    lesson = _figure_lesson(course_a)
    toggle_url = reverse("content:data_saver")

    response = client.post(toggle_url, {"data_saver": "on", "next": lesson.url})

    assert response.status_code == 302
    assert response["Location"] == lesson.url
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "on"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert _html(client.get(lesson.url)).select_one("details.figure__on-request")

    client.post(toggle_url, {"data_saver": "off", "next": lesson.url})

    assert not _html(client.get(lesson.url)).select("details.figure__on-request")


def test_learners_choice_to_switch_off_wins_over_the_header(client, course_a):
    lesson = _figure_lesson(course_a)
    client.post(reverse("content:data_saver"), {"data_saver": "off", "next": lesson.url})

    page = _html(client.get(lesson.url, HTTP_SAVE_DATA="on"))

    assert not page.select("details.figure__on-request")


def test_footer_switch_is_a_csrf_protected_form_back_to_this_page(client, course_a):
    lesson = _figure_lesson(course_a)

    form = _html(client.get(lesson.url + "?x=1")).select_one("footer form.data-saver")

    assert form["method"] == "post"
    assert form["action"] == reverse("content:data_saver")
    assert form.select_one('input[name="csrfmiddlewaretoken"]')
    assert form.select_one('input[name="next"]')["value"] == lesson.url + "?x=1"
    assert form.select_one("button[type=submit]")


def test_switch_refuses_a_post_without_csrf_token(course_a):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("content:data_saver"), {"data_saver": "on", "next": "/"}
    )

    assert response.status_code == 403
    assert COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "",
        "http:///evil",
        "-1",
        "/pelajaran/\r\nSet-Cookie: x=1",
    ],
)
def test_switch_never_leads_off_the_site(client, next_url):
    response = client.post(reverse("content:data_saver"), {"data_saver": "on", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtail_serve", args=[""])
    assert response.cookies[COOKIE_NAME].value == "on"


def test_switch_answers_only_posts(client):
    assert client.get(reverse("content:data_saver")).status_code == 405


def test_switch_is_in_the_pages_language(client, course_a):
    page = _html(client.get("/en/"))
    form = page.select_one("footer form.data-saver")

    assert form["action"] == "/en/hemat-data/"
    assert "Turn data saver on" in form.get_text()


# Figures: <picture>, modern formats, on request in data-saver mode


def test_figure_is_a_picture_with_avif_and_webp_and_the_original_as_fallback(client, course_a):
    lesson = _figure_lesson(course_a)

    picture = _html(client.get(lesson.url)).select_one("figure picture")

    sources = picture.select("source")
    assert [(source.get("media"), source["type"]) for source in sources] == [
        ("(max-width: 40rem)", "image/avif"),
        (None, "image/avif"),
        ("(max-width: 40rem)", "image/webp"),
        (None, "image/webp"),
    ]
    for source, extension in zip(sources, (".avif", ".avif", ".webp", ".webp"), strict=True):
        entries = [entry.split() for entry in source["srcset"].split(", ")]
        assert all(url.endswith(extension) for url, _ in entries)
        # Phones are offered only the phone widths (those saved for offline).
        expected = ["480w", "800w"] if source.get("media") else ["480w", "800w", "1200w"]
        assert [width for _, width in entries] == expected
        assert source["sizes"] == "(min-width: 60rem) 46rem, 100vw"
    img = picture.select_one("img")
    assert img["src"].endswith(".jpg")
    assert [entry.split()[1] for entry in img["srcset"].split(", ")] == ["480w", "800w", "1200w"]
    assert img["alt"] == "Alur layanan 0"
    assert img["loading"] == "lazy"
    assert (img["width"], img["height"]) == ("480", "270")


def test_every_rendition_the_figure_uses_is_prefetched(client, course_a):
    """After the first view, a figure's renditions all come from the stream's prefetch: none is
    created and none is looked up one by one."""
    lesson = _figure_lesson(course_a)
    client.get(lesson.url)
    image = get_image_model().objects.get(title="Pelajaran bergambar 0")

    specs = set(image.renditions.values_list("filter_spec", flat=True))

    assert specs == set(FIGURE_RENDITION_SPECS)
    assert set(PHONE_RENDITION_SPECS) < specs
    assert len(FIGURE_RENDITION_SPECS) == 9  # 3 widths × (AVIF, WebP, original)


def test_image_narrower_than_the_widths_is_listed_once(client, course_a):
    small = _image("Ikon kecil", width=300, height=200)
    lesson = _lesson(course_a, [figure(small.pk, "Ikon")], title="Ikon")

    picture = _html(client.get(lesson.url)).select_one("figure picture")

    assert picture.select_one("img")["srcset"].count("300w") == 1
    assert all(source["srcset"].count(",") == 0 for source in picture.select("source"))


def test_data_saver_figure_waits_behind_a_summary_with_its_size(client, course_a):
    lesson = _figure_lesson(course_a)

    figure_element = _html(client.get(lesson.url, HTTP_SAVE_DATA="on")).select_one("figure")

    details = figure_element.select_one("details.figure__on-request")
    assert not details.has_attr("open")
    summary = details.select_one("summary").get_text()
    assert summary.startswith("Tampilkan gambar (hingga ")
    assert summary.rstrip(")").split()[-1] in {"KB", "bita"}
    img = details.select_one("picture img")
    assert img["loading"] == "lazy"
    # Only the widths a phone picks.
    assert [e.split()[1] for e in img["srcset"].split(", ")] == ["480w", "800w"]
    for source in details.select("picture source"):
        assert [e.split()[1] for e in source["srcset"].split(", ")] == ["480w", "800w"]
    # The caption stays readable without opening the image.
    assert figure_element.select_one("figure > figcaption").get_text() == "Keterangan"


def test_data_saver_size_is_the_largest_modern_rendition_a_phone_may_fetch(client, course_a):
    from content.figures import PHONE_RENDITION_WIDTHS, figure_picture, rendition_bytes

    lesson = _figure_lesson(course_a)
    client.get(lesson.url)
    image = get_image_model().objects.get(title="Pelajaran bergambar 0")

    picture = figure_picture(image, PHONE_RENDITION_WIDTHS)

    sizes = [rendition_bytes(r) for r in picture.source_renditions]
    assert len(sizes) == 4 and all(sizes)
    assert picture.largest_source_bytes == max(sizes)


@pytest.mark.parametrize("save_data", ["off", "on"])
def test_lesson_queries_do_not_grow_with_figures(client, course_a, save_data):
    one = _figure_lesson(course_a, images=1, title="Satu gambar")
    many = _figure_lesson(course_a, images=8, title="Delapan gambar")
    client.defaults["HTTP_SAVE_DATA"] = save_data

    assert count_queries(client, one.url) == count_queries(client, many.url)


# Videos: quiet players, links in data-saver mode


def test_embedded_player_loads_lazily_and_never_autoplays(client, course_a):
    _cache_player()
    lesson = _video_lesson(course_a)

    frame = _html(client.get(lesson.url)).select_one(".embed iframe")

    assert frame["loading"] == "lazy"
    assert "autoplay" not in frame["src"]
    assert frame["src"].startswith("https://www.youtube.com/embed/abcdefghijk?feature=oembed")
    assert "autoplay" not in frame["allow"]
    assert "encrypted-media" in frame["allow"]


def test_data_saver_replaces_the_player_with_a_link(client, course_a):
    _cache_player()
    lesson = _video_lesson(course_a)

    page = _html(client.get(lesson.url, HTTP_SAVE_DATA="on"))

    assert not page.select("iframe")
    link = page.select_one(f'.video a[href="{VIDEO_URL}"]')
    assert "Tonton video di situs penyedia" in link.get_text()
    assert "Petugas menyapa warga" in page.select_one(".transcript").get_text()


def test_uploaded_video_is_never_preloaded_nor_autoplayed(client, course_a):
    video = wagtail_factories.DocumentFactory(
        title="Video", file__data=b"\x1a\x45\xdf\xa3" * 10, file__filename="video.webm"
    )
    lesson = _lesson(
        course_a,
        [
            {
                "type": "video",
                "value": {
                    "title": "Video unggahan",
                    "video_file": video.pk,
                    "embed_url": "",
                    "transcript": "Teks.",
                    "captions": [],
                },
            }
        ],
    )

    for save_data in ("off", "on"):
        player = _html(client.get(lesson.url, HTTP_SAVE_DATA=save_data)).select_one("video")
        assert player["preload"] == "none"
        assert not player.has_attr("autoplay")


def test_documents_keep_their_sizes_in_data_saver_mode(client, course_a):
    data = b"%PDF-1.4\n" + b"0" * 3000
    document = wagtail_factories.DocumentFactory(
        title="Panduan layanan", file__data=data, file__filename="p.pdf", file_size=len(data)
    )
    lesson = _lesson(course_a, [{"type": "document", "value": {"document": document.pk}}])

    link = _html(client.get(lesson.url, HTTP_SAVE_DATA="on")).select_one(".download__link")

    assert "(PDF, 2,9\xa0KB)" in link.get_text()


def test_quiet_embed_html_keeps_a_player_without_autoplay_as_it_was():
    html = '<iframe src="https://player.vimeo.com/video/1?h=a&amp;b=c" title="V"></iframe>'

    quiet = BeautifulSoup(quiet_embed_html(html), "html.parser").iframe

    assert quiet["src"] == "https://player.vimeo.com/video/1?h=a&b=c"
    assert quiet["loading"] == "lazy"


def test_quiet_embed_html_changes_only_loading_and_autoplay():
    quiet = quiet_embed_html(
        YOUTUBE_PLAYER.replace('title="Contoh"', 'title="A &amp; &quot;B&quot;"')
    )

    assert quiet == (
        '<iframe width="200" height="113" src="https://www.youtube.com/embed/abcdefghijk'
        '?feature=oembed" frameborder="0" allow="accelerometer; clipboard-write; '
        'encrypted-media" allowfullscreen title=\'A &amp; "B"\' loading="lazy"></iframe>'
    )


def test_quiet_embed_html_strips_autoplay_from_media_elements():
    quiet = quiet_embed_html('<video autoplay src="https://example.org/v.mp4"></video>')

    assert "autoplay" not in quiet

"""Lesson blocks render offline: video embeds never fetch from the network while rendering."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.embeds.models import Embed

from courses.factories import LessonPageFactory
from courses.models import ModulePage
from tests.utils import forget_lesson_bodies

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://www.youtube.com/watch?v=abcdefghijk"


def _video_lesson(course):
    module = ModulePage.objects.child_of(course).first()
    return LessonPageFactory(
        parent=module,
        title="Video pelayanan",
        body=[
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
    )


def test_video_without_cached_embed_renders_a_link_and_transcript(client, course_a):
    lesson = _video_lesson(course_a)
    html = client.get(lesson.url).content.decode()
    assert VIDEO_URL in html
    assert "<iframe" not in html
    assert "Petugas menyapa warga" in html
    assert not Embed.objects.exists()  # nothing was fetched


def test_video_with_cached_embed_renders_the_cached_player(client, course_a):
    Embed.objects.create(
        url=VIDEO_URL,
        max_width=None,
        hash=Embed.get_hash(VIDEO_URL, None) if hasattr(Embed, "get_hash") else "h",
        type="video",
        html='<iframe title="Pemutar video" src="https://www.youtube-nocookie.com/embed/x"></iframe>',
        provider_name="YouTube",
    )
    lesson = _video_lesson(course_a)
    html = client.get(lesson.url).content.decode()
    assert "youtube-nocookie.com/embed/x" in html
    assert "Petugas menyapa warga" in html


def test_paragraph_rich_text_is_limited_to_simple_formatting():
    from content.blocks import LearningStreamBlock

    paragraph = LearningStreamBlock().child_blocks["paragraph"]
    assert set(paragraph.features) == {"bold", "italic", "link", "document-link", "ol", "ul"}


# Captions: WebVTT files from the document library, a track on uploaded videos and a download
# beside embedded ones.

WEBVTT = b"WEBVTT\n\n1\n00:00.000 --> 00:02.000\nPetugas menyapa warga.\n"


def _document(title: str, name: str, data: bytes):
    import wagtail_factories
    from django.core.files.base import ContentFile

    return wagtail_factories.DocumentFactory(title=title, file=ContentFile(data, name=name))


def _captioned_video_lesson(course, *, video_file=None, embed_url="", label="Bahasa Indonesia"):
    captions = _document("Teks video", "teks.id.vtt", WEBVTT)
    module = ModulePage.objects.child_of(course).first()
    lesson = LessonPageFactory(
        parent=module,
        title="Video bertakarir",
        body=[
            {
                "type": "video",
                "value": {
                    "title": "Contoh pelayanan prima",
                    "video_file": video_file.pk if video_file else None,
                    "embed_url": embed_url,
                    "transcript": "Petugas menyapa warga dan menjelaskan persyaratan.",
                    "captions": [{"file": captions.pk, "language": "id", "label": label}],
                },
            }
        ],
    )
    return lesson, captions


def test_uploaded_video_renders_its_captions_as_a_default_track(client, course_a):
    video = _document("Video", "video.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
    lesson, captions = _captioned_video_lesson(course_a, video_file=video)
    html = client.get(lesson.url).content.decode()
    assert f'<source src="{video.url}" type="video/webm">' in html
    assert (
        f'<track kind="captions" src="{captions.url}" srclang="id" '
        'label="Bahasa Indonesia" default>' in html
    )


def test_captions_without_a_label_are_named_after_their_language(client, course_a, settings):
    video = _document("Video", "video.webm", b"\x1a\x45\xdf\xa3")
    lesson, _ = _captioned_video_lesson(course_a, video_file=video, label="")
    html = client.get(lesson.url).content.decode()
    assert 'srclang="id" label="Bahasa Indonesia" default>' in html


def test_embedded_video_offers_its_captions_as_a_download(client, course_a):
    lesson, captions = _captioned_video_lesson(course_a, embed_url=VIDEO_URL)
    html = client.get(lesson.url).content.decode()
    assert "<track" not in html
    assert f'<a href="{captions.url}" hreflang="id" type="text/vtt">' in html
    assert VIDEO_URL in html


def test_captions_are_served_as_text_vtt(client, course_a):
    _, captions = _captioned_video_lesson(course_a, embed_url=VIDEO_URL)
    response = client.get(captions.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"WEBVTT")


def test_captions_block_refuses_a_file_that_is_not_webvtt():
    from wagtail.blocks import StructBlockValidationError

    from content.blocks import VideoBlock

    block = VideoBlock()
    pdf = _document("Materi", "materi.pdf", b"%PDF-1.4\n")
    value = block.to_python(
        {
            "title": "Video",
            "video_file": None,
            "embed_url": VIDEO_URL,
            "transcript": "Teks.",
            "captions": [{"file": pdf.pk, "language": "id", "label": ""}],
        }
    )
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert "captions" in raised.value.block_errors
    vtt = _document("Teks", "teks.vtt", WEBVTT)
    value = block.to_python(
        {
            **block.get_prep_value(value),
            "captions": [{"file": vtt.pk, "language": "id", "label": ""}],
        }
    )
    assert block.clean(value)["captions"][0]["file"] == vtt


def test_video_without_file_or_address_is_refused_with_a_message(english_interface):
    from wagtail.blocks import StructBlockValidationError

    from content.blocks import VideoBlock

    block = VideoBlock()
    value = block.to_python(
        {"title": "Video", "video_file": None, "embed_url": "", "transcript": "Teks."}
    )
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert raised.value.block_errors["embed_url"].messages == [
        "Choose a video file or enter a video URL."
    ]


def test_captioned_videos_cost_the_same_queries_however_many(
    client, course_a, django_assert_num_queries
):
    """Video files and caption files load in one query each for the whole lesson."""
    module = ModulePage.objects.child_of(course_a).first()

    def lesson_with(videos: int):
        body = []
        for number in range(videos):
            video = _document(f"Video {number}", f"video{number}.webm", b"\x1a\x45\xdf\xa3")
            captions = _document(f"Teks {number}", f"teks{number}.vtt", WEBVTT)
            body.append(
                {
                    "type": "video",
                    "value": {
                        "title": f"Video {number}",
                        "video_file": video.pk,
                        "embed_url": "",
                        "transcript": "Teks.",
                        "captions": [{"file": captions.pk, "language": "id", "label": ""}],
                    },
                }
            )
        return LessonPageFactory(parent=module, title=f"Pelajaran {videos} video", body=body)

    one, many = lesson_with(1), lesson_with(6)
    client.get(one.url), client.get(many.url)  # warm what a live site keeps (site, restrictions)
    forget_lesson_bodies()  # each view below renders its body
    with CaptureQueriesContext(connection) as queries_for_one:
        assert client.get(one.url).content.decode().count("<track ") == 1
    with django_assert_num_queries(len(queries_for_one)):
        assert client.get(many.url).content.decode().count("<track ") == 6

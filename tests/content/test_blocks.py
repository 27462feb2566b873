"""Lesson blocks render offline: video embeds never fetch from the network while rendering."""

import pytest
from wagtail.embeds.models import Embed

from courses.factories import LessonPageFactory
from courses.models import ModulePage

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

"""A lesson's body is the same for every learner: it is rendered once per version of the lesson
and kept in the cache (`courses.outline.lesson_body_key`), so a lesson view reads no images,
renditions or oEmbed results. A new publication, a changed image, document or video and the
data-saver mode each get their own rendering; nothing shows an old one."""

import re

import pytest
import wagtail_factories
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model

from content.factories import figure, paragraph
from courses.factories import LessonPageFactory
from courses.models import ModulePage
from tests.utils import forget_lesson_bodies, lesson_body_keys

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://www.youtube.com/watch?v=lentera-body"


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    return [query["sql"] for query in captured]


def body_of(html: str) -> str:
    return html.split('<div class="prose stream">', 1)[1].split("</div>", 1)[0]


@pytest.fixture
def image():
    return wagtail_factories.ImageFactory(title="Alur layanan")


@pytest.fixture
def lesson(course_a, image):
    return LessonPageFactory(
        parent=ModulePage.objects.child_of(course_a).first(),
        title="Alur pelayanan terpadu",
        body=[
            paragraph("Versi pertama materi."),
            figure(image.pk, "Bagan alur", "Alur"),
            {
                "type": "video",
                "value": {"title": "Cara mendaftar", "embed_url": VIDEO_URL, "transcript": "Teks."},
            },
        ],
    )


def test_the_body_is_rendered_once_and_read_from_the_cache_after(client, lesson, image):
    cache.clear()
    first = page(client, lesson.url)  # renders the figure's renditions and keeps the body
    images_table = get_image_model()._meta.db_table

    warm = queries(client, lesson.url)
    forget_lesson_bodies()
    cold = queries(client, lesson.url)

    assert "Versi pertama materi." in first
    assert len(lesson_body_keys()) == 1
    assert body_of(page(client, lesson.url)) == body_of(first)
    # Rendered afresh, the body reads its images (and their renditions) and its videos' oEmbed
    # results; read from the cache, none of them.
    assert any(images_table in sql for sql in cold)
    assert any(Embed._meta.db_table in sql for sql in cold)
    assert not any(images_table in sql or Embed._meta.db_table in sql for sql in warm)
    assert len(warm) <= len(cold) - 3


def test_a_new_publication_shows_its_new_body(client, lesson):
    page(client, lesson.url)
    lesson.body = [paragraph("Versi kedua materi.")]
    lesson.save_revision().publish()

    html = page(client, lesson.url)

    assert "Versi kedua materi." in html
    assert "Versi pertama materi." not in html


def test_a_changed_image_shows_its_new_renditions(client, lesson, image):
    before = re.findall(r'src="([^"]+)"', body_of(page(client, lesson.url)))
    # What the admin does when an image's file is replaced: its renditions go, and it is saved.
    image.renditions.all().delete()
    image.file = wagtail_factories.ImageFactory.build(file__filename="baru.jpg").file
    image.save()

    after = re.findall(r'src="([^"]+)"', body_of(page(client, lesson.url)))

    assert before and after and before != after
    assert "baru" in after[0]


def test_a_video_found_later_replaces_its_plain_link(client, lesson):
    assert "<iframe" not in body_of(page(client, lesson.url))

    Embed.objects.create(
        url=VIDEO_URL,
        max_width=None,
        type="video",
        html='<iframe src="https://www.youtube-nocookie.com/embed/lentera-body"></iframe>',
    )

    assert "youtube-nocookie.com/embed/lentera-body" in body_of(page(client, lesson.url))


def test_data_saver_pages_keep_their_own_body(client, lesson):
    full = body_of(page(client, lesson.url))
    lite = body_of(page(client, lesson.url, save_data="on"))

    assert "figure__on-request" not in full
    assert "figure__on-request" in lite
    assert body_of(page(client, lesson.url)) == full
    assert len(lesson_body_keys()) == 2

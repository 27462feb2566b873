"""Course and lesson pages use the same number of queries whatever the size of the course."""

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.factories import figure, paragraph
from courses.factories import LessonPageFactory, course_with_lessons_in_bulk, provider_page_of
from courses.models import ModulePage
from tests.utils import count_queries, forget_lesson_bodies

pytestmark = pytest.mark.django_db


def test_course_page_queries_do_not_grow_with_modules(client, provider_a):
    section = provider_page_of(provider_a)
    small = course_with_lessons_in_bulk(
        provider_page=section, title="Kecil", modules=2, lessons_per_module=2
    )
    large = course_with_lessons_in_bulk(
        provider_page=section, title="Besar", modules=20, lessons_per_module=2
    )

    assert count_queries(client, small.url) == count_queries(client, large.url)


def test_lesson_page_queries_do_not_grow_with_images(client, course_a):
    module = ModulePage.objects.child_of(course_a).first()

    def lesson_with_images(title: str, count: int):
        images = [wagtail_factories.ImageFactory(title=f"{title} {n}") for n in range(count)]
        body = [paragraph("Pengantar materi.")]
        body += [figure(image.pk, f"Ilustrasi {n}", "Keterangan") for n, image in enumerate(images)]
        return LessonPageFactory(parent=module, title=title, body=body)

    one = lesson_with_images("Satu gambar", 1)
    ten = lesson_with_images("Sepuluh gambar", 10)

    assert count_queries(client, one.url) == count_queries(client, ten.url)
    # The same when each body is rendered afresh (its images and renditions read).
    client.get(one.url), client.get(ten.url)
    forget_lesson_bodies()
    with CaptureQueriesContext(connection) as one_image:
        client.get(one.url)
    with CaptureQueriesContext(connection) as ten_images:
        client.get(ten.url)
    assert len(one_image) == len(ten_images)


def test_lesson_page_queries_do_not_grow_with_course_size(client, provider_a):
    section = provider_page_of(provider_a)
    small = course_with_lessons_in_bulk(
        provider_page=section, title="Ringkas", modules=2, lessons_per_module=2
    )
    large = course_with_lessons_in_bulk(
        provider_page=section, title="Lengkap", modules=12, lessons_per_module=2
    )
    small_lesson = small.get_descendants().type(ModulePage).first().get_children().first()
    large_lesson = large.get_descendants().type(ModulePage).first().get_children().first()

    assert count_queries(client, small_lesson.url) == count_queries(client, large_lesson.url)

"""Before deleting a document, an editor sees where it is used: Wagtail's reference index
follows the document blocks in lesson bodies."""

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.urls import reverse

from courses.models import LessonPage
from learners.factories import UserFactory

pytestmark = pytest.mark.usefixtures("reference_index")


def test_a_document_in_a_lesson_lists_that_lesson_as_its_usage(course_a, client_for):
    handout = wagtail_factories.DocumentFactory(
        title="Lembar kerja", file=ContentFile(b"%PDF-1.4\n", name="lembar-kerja.pdf")
    )
    lesson = LessonPage.objects.descendant_of(course_a).first().specific
    lesson.body.append(("document", {"document": handout, "description": "Isi sebelum sesi."}))
    lesson.save_revision().publish()
    unused = wagtail_factories.DocumentFactory(
        title="Tidak dipakai", file=ContentFile(b"%PDF-1.4\n", name="lain.pdf")
    )
    admin = client_for(UserFactory(is_superuser=True, is_staff=True))

    usage = admin.get(reverse("wagtaildocs:document_usage", args=[handout.pk]))
    nothing = admin.get(reverse("wagtaildocs:document_usage", args=[unused.pk]))

    assert usage.status_code == 200
    assert lesson.title in usage.content.decode()
    assert lesson.title not in nothing.content.decode()

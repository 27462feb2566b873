"""Demo databases seeded before the videos shipped get the local videos. (That the demo's
videos play, with their captions: tests/demo/test_seed_demo.py, with the README's claims.)"""

import pytest
from wagtail.documents import get_document_model

from courses.factories import LessonPageFactory
from courses.models import LessonPage, ModulePage
from demo.builders import SeedReport, videos_repair

pytestmark = pytest.mark.django_db

Document = get_document_model()


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

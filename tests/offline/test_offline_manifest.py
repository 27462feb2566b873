"""The offline manifest API (GET /api/v1/pages/{id}/offline): what a device stores to study a
course or module offline, versioned so that only what changed is fetched again."""

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model

from content.factories import figure, paragraph
from content.figures import PHONE_RENDITION_SPECS
from courses.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    course_with_lessons,
    provider_page_of,
)
from courses.models import LessonPage, ModulePage
from learners.factories import UserFactory
from offline.tasks import phone_renditions_make
from quizzes.factories import QuizPageFactory, single_choice

pytestmark = pytest.mark.django_db

WEBVTT = b"WEBVTT\n\n1\n00:00.000 --> 00:02.000\nPetugas menyapa warga.\n"
VIDEO = b"\x1a\x45\xdf\xa3" * 100


def _image(title):
    return wagtail_factories.ImageFactory(
        title=title, file__width=1600, file__height=900, file__filename=f"{title}.jpg"
    )


def _document(title, name, data):
    return wagtail_factories.DocumentFactory(title=title, file=ContentFile(data, name=name))


@pytest.fixture
def learner():
    return UserFactory(email="peserta@instansi.go.id")


@pytest.fixture
def rich_course(provider_a):
    """A course of two modules: a lesson with a figure, a document and a captioned video; a
    plain lesson; an untimed quiz and a timed one."""
    course = CoursePageFactory(parent=provider_page_of(provider_a), title="Pelayanan Prima")
    first = ModulePageFactory(parent=course, title="Modul Satu")
    second = ModulePageFactory(parent=course, title="Modul Dua")
    image = _image("Alur layanan")
    handout = _document("Lembar kerja", "lembar-kerja.pdf", b"%PDF-1.4 lembar kerja")
    captions = _document("Teks video", "teks.id.vtt", WEBVTT)
    video = _document("Video", "video.webm", VIDEO)
    rich = LessonPageFactory(
        parent=first,
        title="Pelajaran bergambar",
        body=[
            paragraph("Pengantar."),
            figure(image.pk, "Alur layanan"),
            {"type": "document", "value": {"document": handout.pk, "description": ""}},
            {
                "type": "video",
                "value": {
                    "title": "Contoh pelayanan",
                    "video_file": video.pk,
                    "embed_url": "",
                    "transcript": "Petugas menyapa warga.",
                    "captions": [{"file": captions.pk, "language": "id", "label": "Indonesia"}],
                },
            },
        ],
    )
    # Its phone renditions exist, as they do once the worker made them (see
    # test_the_manifest_encodes_nothing_and_queues_the_missing_renditions).
    image.get_renditions(*PHONE_RENDITION_SPECS)
    plain = LessonPageFactory(parent=first, title="Pelajaran biasa")
    untimed = QuizPageFactory(
        parent=second,
        title="Kuis latihan",
        questions=[single_choice("Dua tambah dua?", [("4", True), ("5", False)])],
    )
    timed = QuizPageFactory(
        parent=second,
        title="Ujian akhir",
        time_limit_minutes=30,
        questions=[single_choice("Tiga tambah satu?", [("4", True), ("5", False)])],
    )
    return {
        "course": course,
        "modules": (first, second),
        "lessons": (rich, plain, untimed, timed),
        "image": image,
        "handout": handout,
        "captions": captions,
        "video": video,
    }


def _manifest(client, page, **params):
    response = client.get(f"/api/v1/pages/{page.pk}/offline", params)
    assert response.status_code == 200, response.content
    return response.json()


def _by_kind(manifest, kind):
    return [entry for entry in manifest["entries"] if entry["kind"] == kind]


def test_course_manifest_lists_pages_renditions_documents_and_captions(
    client_for, learner, rich_course
):
    course = rich_course["course"]
    manifest = _manifest(client_for(learner), course)

    assert manifest["page_id"] == course.pk
    assert manifest["kind"] == "course"
    assert manifest["course_id"] == course.pk
    assert manifest["url"] == course.url
    assert manifest["videos"] == "exclude"
    pages = _by_kind(manifest, "page")
    # The course, both modules and the four lessons (quizzes are lessons too), in page order.
    expected = [course, *rich_course["modules"], *rich_course["lessons"]]
    assert {entry["url"] for entry in pages} == {page.url for page in expected}
    # Lessons and quizzes carry their id (the outline marks them); the others none.
    lesson_ids = {entry["lesson_id"] for entry in pages if entry["lesson_id"] is not None}
    assert lesson_ids == {lesson.pk for lesson in rich_course["lessons"]}
    # Each phone rendition of the figure, in every format the figure offers.
    images = _by_kind(manifest, "image")
    assert len(images) == len(PHONE_RENDITION_SPECS)
    rendition_urls = {
        rendition.url
        for rendition in rich_course["image"].get_renditions(*PHONE_RENDITION_SPECS).values()
    }
    assert {entry["url"] for entry in images} == rendition_urls
    assert {entry["type"] for entry in images} == {"image/avif", "image/webp", ""}
    assert all(entry["bytes"] > 0 for entry in images)
    [document] = _by_kind(manifest, "document")
    assert document["url"] == rich_course["handout"].url
    assert document["bytes"] == len(b"%PDF-1.4 lembar kerja")
    [captions] = _by_kind(manifest, "captions")
    assert captions["url"] == rich_course["captions"].url
    assert captions["title"] == "Indonesia"
    assert not _by_kind(manifest, "video")
    assert manifest["video_bytes"] == len(VIDEO)
    assert manifest["total_bytes"] == sum(entry["bytes"] for entry in manifest["entries"])
    # Quizzes, for their papers: the timed one says it needs a connection.
    untimed, timed = rich_course["lessons"][2:]
    assert manifest["quizzes"] == [
        {
            "quiz_id": untimed.pk,
            "title": "Kuis latihan",
            "timed": False,
            "paper_url": f"/api/v1/quizzes/{untimed.pk}/paper",
        },
        {
            "quiz_id": timed.pk,
            "title": "Ujian akhir",
            "timed": True,
            "paper_url": f"/api/v1/quizzes/{timed.pk}/paper",
        },
    ]


def test_every_entry_the_manifest_lists_is_served(client_for, learner, rich_course):
    """The device fetches each URL: a wrong one would leave a hole in the saved course."""
    client = client_for(learner)
    manifest = _manifest(client, rich_course["course"], videos="include")

    for entry in manifest["entries"]:
        if entry["kind"] == "page":
            assert client.get(entry["url"]).status_code == 200, entry["url"]
        elif entry["kind"] in {"document", "captions", "video"}:
            response = client.get(entry["url"])
            assert response.status_code == 200, entry["url"]
            assert len(b"".join(response.streaming_content)) == entry["bytes"]


def test_videos_are_included_on_request(client_for, learner, rich_course):
    client = client_for(learner)
    without = _manifest(client, rich_course["course"], videos="exclude")
    with_videos = _manifest(client, rich_course["course"], videos="include")

    [video] = _by_kind(with_videos, "video")
    assert video["url"] == rich_course["video"].url
    assert video["bytes"] == len(VIDEO)
    assert video["title"] == "Contoh pelayanan"
    assert with_videos["videos"] == "include"
    assert with_videos["total_bytes"] == without["total_bytes"] + len(VIDEO)
    assert with_videos["video_bytes"] == without["video_bytes"] == len(VIDEO)
    assert with_videos["version"] != without["version"]


def test_english_urls_on_request(client_for, learner, rich_course):
    manifest = _manifest(client_for(learner), rich_course["course"], lang="en")

    pages = _by_kind(manifest, "page")
    assert pages and all(entry["url"].startswith("/en/") for entry in pages)
    assert manifest["url"] == f"/en{rich_course['course'].url}"


def test_republishing_a_lesson_changes_the_version_and_only_its_hash(
    client_for, learner, rich_course
):
    client = client_for(learner)
    before = _manifest(client, rich_course["course"])
    plain = LessonPage.objects.get(pk=rich_course["lessons"][1].pk)
    plain.body = [paragraph("Materi yang diperbarui.")]
    plain.save_revision().publish()

    after = _manifest(client, rich_course["course"])

    assert after["version"] != before["version"]
    hashes_before = {entry["url"]: entry["hash"] for entry in before["entries"]}
    hashes_after = {entry["url"]: entry["hash"] for entry in after["entries"]}
    assert hashes_before.keys() == hashes_after.keys()
    changed = {url for url in hashes_after if hashes_after[url] != hashes_before[url]}
    assert changed == {plain.url}


def test_a_new_lesson_refreshes_the_pages_that_list_it(client_for, learner, rich_course):
    client = client_for(learner)
    before = _manifest(client, rich_course["course"])
    first, second = rich_course["modules"]
    added = LessonPageFactory(parent=second, title="Pelajaran tambahan")

    after = _manifest(client, rich_course["course"])

    hashes_before = {entry["url"]: entry["hash"] for entry in before["entries"]}
    changed = {
        entry["url"]
        for entry in after["entries"]
        if hashes_before.get(entry["url"]) not in (None, entry["hash"])
    }
    # The course page and the lessons of every module show the module's lesson count, the
    # second module's page and lessons list it; the figure and files are untouched.
    assert added.url in {entry["url"] for entry in after["entries"]}
    assert rich_course["course"].url in changed
    assert second.url in changed
    assert first.url not in changed
    assert all(entry["kind"] == "page" for entry in after["entries"] if entry["url"] in changed)


def test_module_manifest_holds_the_module_its_course_and_its_lessons(
    client_for, learner, rich_course
):
    first, second = rich_course["modules"]
    manifest = _manifest(client_for(learner), first)

    assert manifest["kind"] == "module"
    assert manifest["page_id"] == first.pk
    assert manifest["course_id"] == rich_course["course"].pk
    assert manifest["url"] == first.url
    urls = {entry["url"] for entry in _by_kind(manifest, "page")}
    rich, plain = rich_course["lessons"][:2]
    assert urls == {rich_course["course"].url, first.url, rich.url, plain.url}
    assert manifest["quizzes"] == []


def test_a_page_has_the_same_hash_in_its_module_manifest_and_its_course_manifest(
    client_for, learner, rich_course
):
    client = client_for(learner)
    course_hashes = {
        entry["url"]: entry["hash"]
        for entry in _by_kind(_manifest(client, rich_course["course"]), "page")
    }

    for module in rich_course["modules"]:
        module_hashes = {
            entry["url"]: entry["hash"] for entry in _by_kind(_manifest(client, module), "page")
        }
        # The course page, the module and its lessons: each as the course's manifest has it.
        assert rich_course["course"].url in module_hashes
        assert len(module_hashes) >= 3
        assert module_hashes == {url: course_hashes[url] for url in module_hashes}


@pytest.mark.parametrize("case", ["draft", "private", "lesson", "catalog", "missing"])
def test_only_live_public_courses_and_modules_have_a_manifest(
    client_for, learner, rich_course, site_tree, case
):
    from wagtail.models import PageViewRestriction

    course = rich_course["course"]
    if case == "draft":
        page = ModulePageFactory(parent=course, title="Modul draf", live=False)
    elif case == "private":
        page = rich_course["modules"][0]
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="rahasia"
        )
    elif case == "lesson":
        page = rich_course["lessons"][0]
    elif case == "catalog":
        page = site_tree["catalog"]
    else:
        page = type("Missing", (), {"pk": 999_999})()

    response = client_for(learner).get(f"/api/v1/pages/{page.pk}/offline")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_module_of_an_unpublished_course_has_no_manifest(client_for, learner, rich_course):
    rich_course["course"].unpublish(set_expired=False, commit=True, log_action=False)
    module = ModulePage.objects.get(pk=rich_course["modules"][0].pk)
    module.live = True
    module.save(update_fields=["live"])

    response = client_for(learner).get(f"/api/v1/pages/{module.pk}/offline")

    assert response.status_code == 404


def test_signed_in_only(client, rich_course):
    response = client.get(f"/api/v1/pages/{rich_course['course'].pk}/offline")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_manifest_encodes_nothing_and_queues_the_missing_renditions(
    client_for, learner, rich_course, database_tasks
):
    Rendition = get_image_model().get_rendition_model()
    fresh = _image("Gambar baru")
    lesson = LessonPage.objects.get(pk=rich_course["lessons"][1].pk)
    lesson.body = [paragraph("Teks."), figure(fresh.pk, "Gambar baru")]
    lesson.save_revision().publish()
    client = client_for(learner)

    first = _manifest(client, rich_course["course"])
    again = _manifest(client, rich_course["course"])

    # Nothing encoded in the requests: only the renditions that existed are listed, and the
    # missing ones are queued once, however many requests ask before the worker runs.
    assert not Rendition.objects.filter(image=fresh).exists()
    listed = {entry["url"] for entry in _by_kind(first, "image")}
    assert len(listed) == len(PHONE_RENDITION_SPECS)
    assert all("Gambar_baru" not in url for url in listed)
    assert again["version"] == first["version"]
    renditions_tasks = DBTaskResult.objects.filter(task_path="offline.tasks.phone_renditions_make")
    [queued] = renditions_tasks
    assert queued.args_kwargs["kwargs"] == {"image_ids": [fresh.pk]}

    # The queued task, run as the worker runs it (its stored arguments). The worker itself is
    # not started here: on PostgreSQL it found this test's connection closed after the
    # manifest requests and waited for the database forever.
    phone_renditions_make.call(**queued.args_kwargs["kwargs"])

    assert Rendition.objects.filter(image=fresh).count() == len(PHONE_RENDITION_SPECS)
    after = _manifest(client, rich_course["course"])
    made = {rendition.url for rendition in fresh.get_renditions(*PHONE_RENDITION_SPECS).values()}
    assert {entry["url"] for entry in _by_kind(after, "image")} == listed | made
    assert after["version"] != first["version"]
    assert renditions_tasks.count() == 1


def test_unknown_videos_choice_is_refused(client_for, learner, rich_course):
    response = client_for(learner).get(
        f"/api/v1/pages/{rich_course['course'].pk}/offline", {"videos": "sometimes"}
    )

    assert response.status_code == 422


def _course_with_figures(provider_page, lessons: int, title: str):
    course = course_with_lessons(
        provider_page=provider_page, modules=2, lessons_per_module=0, title=title
    )
    modules = list(ModulePage.objects.child_of(course))
    for number in range(lessons):
        LessonPageFactory(
            parent=modules[number % 2],
            title=f"{title} {number}",
            body=[paragraph("Teks."), figure(_image(f"{title} gambar {number}").pk, "Gambar")],
        )
    return course


def test_query_count_does_not_grow_with_the_course(client_for, learner, provider_a):
    provider_page = provider_page_of(provider_a)
    small = _course_with_figures(provider_page, 2, "Kecil")
    large = _course_with_figures(provider_page, 20, "Besar")
    client = client_for(learner)
    # The first manifests queue the renditions (the test queue runs the task at once); the
    # next ones read them.
    for course in (small, large):
        _manifest(client, course)

    with CaptureQueriesContext(connection) as small_queries:
        small_manifest = _manifest(client, small)
    with CaptureQueriesContext(connection) as large_queries:
        large_manifest = _manifest(client, large)

    assert len(_by_kind(large_manifest, "image")) == 20 * len(PHONE_RENDITION_SPECS)
    assert len(_by_kind(small_manifest, "image")) == 2 * len(PHONE_RENDITION_SPECS)
    assert len(large_queries) == len(small_queries)
    assert len(large_queries) <= 13

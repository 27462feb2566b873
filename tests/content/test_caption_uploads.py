"""Editors upload WebVTT captions through the Wagtail admin: a real .vtt is accepted and served
as text/vtt; anything else named .vtt (a web page, a subtitle file of another format) is refused
at upload, as every document whose content does not match its extension is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

pytestmark = pytest.mark.django_db

Document = get_document_model()

CAPTIONS = b"WEBVTT\n\n00:00.000 --> 00:02.500\nSelamat datang di <b>Lentera</b>.\n"


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


def _upload(client, collection, name: str, data: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Teks video",
            "file": SimpleUploadedFile(name, data),
            "collection": collection.pk,
        },
    )


@pytest.mark.parametrize(
    "data",
    [CAPTIONS, b"\xef\xbb\xbf" + CAPTIONS, b"WEBVTT - Teks video\r\n\r\n", b"WEBVTT"],
    ids=["plain", "byte-order mark", "header text, CRLF", "header only"],
)
def test_webvtt_captions_are_accepted_and_served_as_text_vtt(
    editor_a, provider_a, client_for, data
):
    client = client_for(editor_a)
    assert _upload(client, provider_a.collection, "teks.id.vtt", data).status_code == 302
    document = Document.objects.get()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == data


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"1\n00:00:00,000 --> 00:00:02,500\nSubRip, not WebVTT\n",
        b"WEBVTTX\n",
        b"  WEBVTT\n",
        b"WEBVTT\n\x00\x01",
    ],
    ids=["html", "srt", "signature run on", "leading blanks", "binary"],
)
def test_files_named_vtt_that_are_not_webvtt_are_refused(editor_a, provider_a, client_for, data):
    response = _upload(client_for(editor_a), provider_a.collection, "teks.vtt", data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The content of this file is not a .vtt file. Upload the original file, not a renamed one."
    ]
    assert not Document.objects.exists()


def _lesson_form(lesson, captions_document) -> dict:
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    captions = {
        "count": 1,
        "0": {"value": {"file": captions_document.pk, "language": "id", "label": ""}},
        "0-deleted": "",
        "0-order": 0,
    }
    return nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "estimated_minutes": "20",
            "required_for_completion": "on",
            "body": streamfield(
                [
                    (
                        "video",
                        {
                            "title": "Contoh pelayanan",
                            "video_file": "",
                            "embed_url": "https://www.youtube.com/watch?v=abcdefghijk",
                            "transcript": "Petugas menyapa warga.",
                            "captions": captions,
                        },
                    )
                ]
            ),
            "action-publish": "publish",
        }
    )


def test_editors_attach_captions_to_an_embedded_video(course_a, client_for):
    from courses.models import LessonPage
    from learners.factories import UserFactory

    admin = client_for(UserFactory(email="admin@lentera.go.id", is_staff=True, is_superuser=True))
    lesson = LessonPage.objects.descendant_of(course_a).first()
    assert _upload(admin, course_a.provider.collection, "teks.vtt", CAPTIONS).status_code == 302
    captions = Document.objects.get()
    response = admin.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]), _lesson_form(lesson, captions)
    )
    assert response.status_code == 302
    [block] = LessonPage.objects.get(pk=lesson.pk).body
    assert [item["file"] for item in block.value["captions"]] == [captions]

    pdf = Document.objects.create(title="Materi", file=SimpleUploadedFile("m.pdf", b"%PDF-1.4"))
    response = admin.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]), _lesson_form(lesson, pdf)
    )
    assert response.status_code == 200  # the editor is shown the error, nothing is published
    assert "Choose a WebVTT (.vtt) file." in response.content.decode()
    [block] = LessonPage.objects.get(pk=lesson.pk).body
    assert [item["file"] for item in block.value["captions"]] == [captions]

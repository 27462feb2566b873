"""Uploads through the real Wagtail admin views and the trainer's import, and editors' rich text.

Images: raster formats only, at most 10 MB and 40 megapixels, content matching the extension
(Wagtail's checks, configured in settings). Documents: an allow-list of extensions, content
matching the extension (content.forms.DocumentForm), served as attachments (PDF inline) with
nosniff and a "default-src 'none'" CSP. Rich text keeps only the features a block allows.
"""

import io
import json
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from pypdf import PdfWriter
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cohorts.factories import CohortFactory
from cohorts.models import CohortImport
from courses.models import LessonPage
from learners.factories import UserFactory
from tests.evaluation.test_xss import assert_harmless

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


def png(width: int = 8, height: int = 8, *, mode: str = "RGB", noise: bool = False) -> bytes:
    if noise:
        image = PILImage.frombytes(mode, (width, height), os.urandom(width * height * 3))
    else:
        image = PILImage.new(mode, (width, height))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image_upload(client, collection, name: str, data: bytes):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Gambar",
            "file": SimpleUploadedFile(name, data),
            "collection": collection.pk,
            "description": "Teks alternatif",
        },
    )


def _document_upload(client, collection, name: str, data: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Dokumen", "file": SimpleUploadedFile(name, data), "collection": collection.pk},
    )


def _file_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors["file"]


# Settings


def test_upload_limits_are_configured():
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert not {"html", "htm", "svg", "xml", "js", "exe"} & set(settings.WAGTAILDOCS_EXTENSIONS)
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == ["application/pdf"]
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024


# Images, as an editor in the admin


def test_an_editor_uploads_a_valid_image(editor_a, provider_a, client_for):
    response = _image_upload(client_for(editor_a), provider_a.collection, "foto.png", png())
    assert response.status_code == 302
    assert Image.objects.get().collection == provider_a.collection


def test_an_image_over_10_mb_is_refused(editor_a, provider_a, client_for):
    data = png(1900, 1900, noise=True)
    assert len(data) > 10 * 1024 * 1024
    errors = _file_errors(
        _image_upload(client_for(editor_a), provider_a.collection, "besar.png", data)
    )
    assert "This file is too big" in errors[0] and "10.0\xa0MB" in errors[0]
    assert not Image.objects.exists()


def test_an_image_with_too_many_pixels_is_refused(editor_a, provider_a, client_for):
    data = png(8000, 6000, mode="1")  # 48 megapixels in a few kilobytes
    assert len(data) < 1024 * 1024
    errors = _file_errors(
        _image_upload(client_for(editor_a), provider_a.collection, "bom.png", data)
    )
    assert "too many pixels" in errors[0]
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("logo.svg", SVG, "Not a supported image format"),
        ("halaman.html", HTML, "Not a supported image format"),
        ("halaman.png", HTML, "The extension does not match the file format"),
        ("skrip.gif", EXE, "Upload a valid image"),
        ("foto.jpg", png(), "The extension does not match the file format"),
    ],
)
def test_wrong_or_disguised_images_are_refused(
    editor_a, provider_a, client_for, name, data, message
):
    errors = _file_errors(_image_upload(client_for(editor_a), provider_a.collection, name, data))
    assert message in errors[0]
    assert not Image.objects.exists()


# Documents, as an editor in the admin


@pytest.mark.parametrize(
    ("name", "data"),
    [("halaman.html", HTML), ("gambar.svg", SVG), ("program.exe", EXE), ("skrip.js", b"alert(1)")],
)
def test_documents_outside_the_allow_list_are_refused(editor_a, provider_a, client_for, name, data):
    errors = _file_errors(_document_upload(client_for(editor_a), provider_a.collection, name, data))
    assert "File extension" in errors[0] and "is not allowed" in errors[0]
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("materi.pdf", HTML),
        ("catatan.txt", HTML),
        ("data.csv", b"  \xef\xbb\xbf<svg onload=alert(1)>"),
        ("laporan.docx", EXE),
        ("paparan.pptx", pdf()),
        ("video.mp4", HTML),
    ],
)
def test_documents_whose_content_does_not_match_the_extension_are_refused(
    editor_a, provider_a, client_for, name, data
):
    client = client_for(editor_a)
    errors = _file_errors(_document_upload(client, provider_a.collection, name, data))
    extension = name.rsplit(".", 1)[1]
    assert errors == [
        f"The content of this file is not a .{extension} file. Upload the original file, "
        "not a renamed one."
    ]
    # The multiple-upload view (drag and drop) uses the same form.
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile(name, data), "collection": provider_a.collection.pk},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not Document.objects.exists()


def test_documents_are_served_as_attachments_with_nosniff(editor_a, provider_a, client_for):
    client = client_for(editor_a)
    uploads = {"materi.pdf": pdf(), "catatan.txt": b"Catatan <b>biasa</b>.\n", "data.csv": b"a,b\n"}
    for name, data in uploads.items():
        assert _document_upload(client, provider_a.collection, name, data).status_code == 302
    for document in Document.objects.all():
        response = client.get(document.url)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'"
        disposition = response["Content-Disposition"]
        if document.filename.endswith(".pdf"):
            assert response["Content-Type"] == "application/pdf"
        else:
            assert disposition.startswith("attachment"), disposition
        b"".join(response.streaming_content)


# The trainer's import: a file of the wrong kind gets a clear message on the page


@pytest.fixture
def cohort(course_a):
    trainer = UserFactory(
        email="widyaiswara@instansi.go.id", full_name="Widyaiswara", trainer_of=course_a
    )
    return CohortFactory(
        course=course_a,
        name="Angkatan I",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timezone.timedelta(days=30),
        created_by=trainer,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("peserta.pdf", pdf(), "Upload a .csv or .xlsx file."),
        ("peserta.csv", pdf(), 'The first row must name the columns: "nip", "email"'),
        ("peserta.xlsx", HTML, "could not be read as an Excel workbook"),
        (
            "peserta.csv",
            b"email\n" + b"x" * (2 * 1024 * 1024),
            "The file is too large: at most 2 MB.",
        ),
    ],
)
def test_import_of_the_wrong_kind_of_file_is_refused_on_the_page(
    cohort, client_for, name, data, message
):
    client = client_for(cohort.trainers.get())
    response = client.post(
        reverse("cohorts:learners_add", args=[cohort.pk]),
        {"upload": "1", "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    errors = response.context["import_form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert not CohortImport.objects.exists()


def test_import_errors_are_in_indonesian_for_an_indonesian_interface(cohort, client_for, settings):
    settings.LANGUAGE_CODE = "id"
    client = client_for(cohort.trainers.get())
    response = client.post(
        reverse("cohorts:learners_add", args=[cohort.pk]),
        {"upload": "1", "file": SimpleUploadedFile("peserta.pdf", pdf())},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    errors = response.context["import_form"].errors["file"]
    assert errors and "Upload a .csv or .xlsx file." not in errors[0]


# Editors' rich text: only the features of each block survive the admin's save


def _contentstate(blocks: list[dict], entities: dict) -> str:
    return json.dumps({"blocks": blocks, "entityMap": entities})


def _block(key: str, text: str, kind: str = "unstyled", **extra) -> dict:
    return {
        "key": key,
        "text": text,
        "type": kind,
        "depth": 0,
        "inlineStyleRanges": extra.get("styles", []),
        "entityRanges": extra.get("entities", []),
        "data": extra.get("data", {}),
    }


HOSTILE_PARAGRAPH = _contentstate(
    [
        _block("a1", "<script>alert(1)</script> teks biasa"),
        _block(
            "a2",
            "tautan jahat",
            entities=[{"offset": 0, "length": 12, "key": 0}],
            styles=[{"offset": 0, "length": 6, "style": "BOLD"}],
        ),
        _block("a3", "kode", "code-block"),
        _block("a4", "judul", "header-one"),
        _block("a5", " ", "atomic", entities=[{"offset": 0, "length": 1, "key": 1}]),
        _block("a6", " ", "atomic", entities=[{"offset": 0, "length": 1, "key": 2}]),
        _block(
            "a7",
            "gaya",
            styles=[{"offset": 0, "length": 4, "style": "CODE"}],
            data={"style": "color:red", "onclick": "alert(1)"},
        ),
    ],
    {
        "0": {
            "type": "LINK",
            "mutability": "MUTABLE",
            "data": {"url": "javascript:alert(document.cookie)", "onclick": "alert(1)"},
        },
        "1": {
            "type": "EMBED",
            "mutability": "IMMUTABLE",
            "data": {"url": "https://evil.example/x", "html": "<iframe src=javascript:alert(1)>"},
        },
        "2": {
            "type": "IMAGE",
            "mutability": "IMMUTABLE",
            "data": {"id": 1, "src": "javascript:alert(1)", "alt": "x", "format": "fullwidth"},
        },
    },
)


def test_lesson_rich_text_keeps_only_the_allowed_features(course_a, client_for):
    admin = client_for(UserFactory(email="admin@lentera.go.id", is_staff=True, is_superuser=True))
    lesson = LessonPage.objects.descendant_of(course_a).first()
    data = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "estimated_minutes": "20",
            "required_for_completion": "on",
            "body": streamfield(
                [
                    ("paragraph", HOSTILE_PARAGRAPH),
                    (
                        "callout",
                        {"kind": "tip", "title": "<b>Catatan</b>", "text": HOSTILE_PARAGRAPH},
                    ),
                ]
            ),
            "transcript": "<script>alert(1)</script>",
            "action-publish": "publish",
        }
    )
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data)
    assert response.status_code == 302, _admin_errors(response)
    stored = json.dumps(list(LessonPage.objects.get(pk=lesson.pk).body.raw_data))
    for banned in (
        "<script",
        "javascript:",
        "<iframe",
        "<h1",
        "<code",
        "<img",
        "onclick",
        "style=",
    ):
        assert banned not in stored, banned
    learner = UserFactory(email="peserta@instansi.go.id")
    from learners.services import enrollment_create

    enrollment_create(user=learner, course=course_a)
    page = client_for(learner).get(lesson.url).content.decode()
    assert_harmless(page, shows=["<script>alert(1)</script> teks biasa"])
    assert "tautan" in page and "jahat" in page and "&lt;b&gt;Catatan&lt;/b&gt;" in page
    assert "evil.example" not in page and "<iframe" not in page


def _admin_errors(response) -> str:
    form = response.context and response.context.get("form")
    return str(form.errors if form else response.content[:2000])


def test_the_whitelister_strips_html_pasted_into_a_rich_text_field():
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    from content.blocks import PARAGRAPH_FEATURES

    converter = EditorHTMLConverter(features=PARAGRAPH_FEATURES)
    cleaned = converter.to_database_format(
        '<p style="color:red" onclick="alert(1)">Teks <script>alert(1)</script>'
        '<a href="javascript:alert(1)">klik</a><iframe src="https://evil.example"></iframe>'
        '<img src=x onerror="alert(1)"><b>tebal</b></p><style>p{}</style>'
    )
    for banned in ("<script", "javascript:", "<iframe", "<img", "onclick", "onerror", "style"):
        assert banned not in cleaned, banned
    assert "<b>tebal</b>" in cleaned and "klik" in cleaned

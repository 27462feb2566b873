"""Certificates in the learner's language: the stored PDF stays the official one in Bahasa
Indonesia, word for word; under /en/ the download gives an English translation of it, drawn on
request and never stored, and the official PDF stays one link away (`?lang=id`)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from content.factories import OrganizationFactory
from learners.factories import UserFactory
from tests.learners import test_certificates as issued

pytestmark = pytest.mark.django_db

# The issued certificate of tests/learners/test_certificates.py (course_a, 1 to 15 March 2025).
agency, holder = issued.agency, issued.holder
make_certificate, certificate = issued.make_certificate, issued.certificate
_pdf_text, _render = issued._pdf_text, issued._render

OFFICIAL_TITLE = "Etika Pelayanan Publik — Tingkat Dasar"


def _url(certificate, language: str = "id-id") -> str:
    with translation.override(language):
        return reverse("learners:certificate_pdf", args=[certificate.code])


def _get(client, url: str):
    response = client.get(url)
    if response.streaming:
        response.content_bytes = b"".join(response.streaming_content)
    else:
        response.content_bytes = response.content
    return response


def _translate_course(certificate, title: str) -> None:
    course = certificate.enrollment.course
    english = course.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = title
    english.save_revision().publish()


def test_the_official_pdf_prints_its_indonesian_wording_in_any_interface_language(certificate):
    with translation.override("en"):
        text = _pdf_text(_render(certificate))

    for words in (
        "SERTIFIKAT",
        f"Nomor: {certificate.serial}",
        "diberikan kepada",
        "Instansi : Dinas Kesehatan Kota Bandung",
        "Jabatan : Analis Kebijakan Ahli Muda",
        "Pangkat/Golongan : Penata, III/c",
        "telah menyelesaikan",
        "dengan beban belajar 20 JP, pada tanggal 1 Maret 2025 s.d. 15 Maret 2025",
        "Kompetensi: Integritas (level 3)",
        "Pindai kode QR untuk memeriksa keaslian sertifikat ini:",
        "Diterbitkan tanggal 15 Maret 2025",
        "NIP. 19700101 199503 1 001",
    ):
        assert words in text, words
    assert "Translation" not in text and "CERTIFICATE" not in text


def test_under_en_the_holder_downloads_an_english_translation_never_stored(client_for, certificate):
    _translate_course(certificate, "Public Service Ethics, Basic Level")

    response = _get(client_for(certificate.enrollment.user), _url(certificate, "en"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert '-en.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = _pdf_text(response.content_bytes)
    for words in (
        "CERTIFICATE",
        f"Number: {certificate.serial}",
        f"Translation of the official certificate in Bahasa Indonesia number {certificate.serial}",
        "awarded to Siti Nurhaliza",
        "Agency : Dinas Kesehatan Kota Bandung",
        "Public Service Ethics, Basic Level",
        f"Official title: {OFFICIAL_TITLE}",
        "with a learning load of 20 JP, from 1 March 2025 to 15 March 2025",
        "Issued on 15 March 2025",
    ):
        assert words in text, words
    assert "SERTIFIKAT" not in text
    certificate.refresh_from_db()
    assert not certificate.pdf  # the stored PDF is the official one only


def test_an_untranslated_course_keeps_its_official_title_once(client_for, certificate):
    text = _pdf_text(
        _get(client_for(certificate.enrollment.user), _url(certificate, "en")).content_bytes
    )

    assert OFFICIAL_TITLE in text and "Official title" not in text


def test_under_en_the_official_pdf_is_one_parameter_away_and_stored(client_for, certificate):
    response = _get(client_for(certificate.enrollment.user), _url(certificate, "en") + "?lang=id")

    assert response.status_code == 200
    text = _pdf_text(response.content_bytes)
    assert "SERTIFIKAT" in text and "Translation" not in text
    certificate.refresh_from_db()
    assert certificate.pdf


def test_the_english_pdf_keeps_the_permission_checks(client_for, certificate, agency):
    url = _url(certificate, "en")
    for outsider in (UserFactory(), UserFactory(admin_of=OrganizationFactory())):
        assert _get(client_for(outsider), url).status_code == 404
        assert _get(client_for(outsider), url + "?lang=id").status_code == 404
    assert _get(client_for(UserFactory(admin_of=agency)), url).status_code == 200
    assert Client().get(url).status_code == 302  # to the log-in page


def test_under_en_the_course_and_verification_pages_link_both_pdfs(client_for, certificate):
    holder_client = client_for(certificate.enrollment.user)
    course = certificate.enrollment.course
    with translation.override("en"):
        verify_en = reverse("learners:certificate_verify", args=[certificate.code])
        course_en = course.url
    official = f'href="{_url(certificate, "en")}?lang=id"'

    for url in (course_en, verify_en):
        html = holder_client.get(url).content.decode()
        assert f'href="{_url(certificate, "en")}"' in html, url
        assert official in html and "Official certificate (Bahasa Indonesia, PDF)" in html, url
    # In Indonesian the one download is the official PDF.
    with translation.override("id-id"):
        verify_id = reverse("learners:certificate_verify", args=[certificate.code])
    indonesian = holder_client.get(verify_id).content.decode()
    assert f'href="{_url(certificate)}"' in indonesian and "?lang=id" not in indonesian
    # Visitors who may not download it see no link on the public page.
    assert _url(certificate, "en") not in Client().get(verify_en).content.decode()

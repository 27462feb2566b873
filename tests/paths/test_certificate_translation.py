"""Path certificates in the learner's language, as course certificates: the stored PDF stays the
official one in Bahasa Indonesia; under /en/ the download gives an English translation of it,
drawn on request and never stored, and the official PDF stays one link away (`?lang=id`)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from learners.factories import UserFactory
from tests.learners.test_certificates import _pdf_text
from tests.paths.test_views import _complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(path, learner, supervisor, course_a):
    return _complete(path, learner, supervisor, course_a)


def _url(name: str, certificate, language: str = "id-id") -> str:
    with translation.override(language):
        return reverse(f"paths:{name}", args=[certificate.code])


def _get(client, url: str):
    response = client.get(url)
    response.content_bytes = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return response


def _translate(page, title: str) -> None:
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = title
    english.save_revision().publish()


def test_under_en_the_holder_downloads_an_english_translation_never_stored(
    client_for, certificate, path
):
    _translate(path, "Becoming a Policy Analyst")

    response = _get(
        client_for(certificate.enrollment.user), _url("certificate_pdf", certificate, "en")
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert '-en.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = _pdf_text(response.content_bytes)
    for words in (
        "CERTIFICATE",
        f"Translation of the official certificate in Bahasa Indonesia number {certificate.serial}",
        "awarded to Dewi Lestari",
        "Becoming a Policy Analyst",
        f"Official title: {path.title}",
        "(learning path)",
    ):
        assert words in text, words
    assert "SERTIFIKAT" not in text and "jalur belajar" not in text
    certificate.refresh_from_db()
    assert not certificate.pdf  # the stored PDF is the official one only


def test_the_official_pdf_stays_indonesian_and_is_stored(client_for, certificate, path):
    _translate(path, "Becoming a Policy Analyst")
    client = client_for(certificate.enrollment.user)

    for url in (
        _url("certificate_pdf", certificate),
        _url("certificate_pdf", certificate, "en") + "?lang=id",
    ):
        text = _pdf_text(_get(client, url).content_bytes)
        assert "SERTIFIKAT" in text and "(jalur belajar)" in text, url
        assert "Translation" not in text and "Becoming" not in text, url
    certificate.refresh_from_db()
    assert certificate.pdf


def test_the_english_pdf_is_for_the_holder_only(client_for, certificate, supervisor):
    url = _url("certificate_pdf", certificate, "en")
    for outsider in (supervisor, UserFactory()):
        assert _get(client_for(outsider), url).status_code == 404
        assert _get(client_for(outsider), url + "?lang=id").status_code == 404
    assert Client().get(url).status_code == 302  # to the log-in page


def test_under_en_the_path_and_verification_pages_link_both_pdfs(client_for, certificate, path):
    _translate(path, "Becoming a Policy Analyst")
    holder_client = client_for(certificate.enrollment.user)
    with translation.override("en"):
        path_en = path.url
        my_learning_en = reverse("learners:my_learning")
    verify_en = _url("certificate_verify", certificate, "en")
    download = f'href="{_url("certificate_pdf", certificate, "en")}"'
    official = f'href="{_url("certificate_pdf", certificate, "en")}?lang=id"'

    for url in (path_en, my_learning_en, verify_en):
        html = holder_client.get(url).content.decode()
        assert download in html and official in html, url
        assert "Official certificate (Bahasa Indonesia, PDF)" in html, url
    verification = holder_client.get(verify_en).content.decode()
    assert f'<span lang="id">{path.title}</span><br>Becoming a Policy Analyst' in verification
    # In Indonesian the one download is the official PDF, and the printed title alone.
    indonesian = holder_client.get(_url("certificate_verify", certificate)).content.decode()
    assert f'href="{_url("certificate_pdf", certificate)}"' in indonesian
    assert "?lang=id" not in indonesian and "Becoming" not in indonesian
    # Visitors who may not download it see no link on the public page.
    for visitor in (Client(), client_for(UserFactory())):
        assert "/pdf/" not in visitor.get(verify_en).content.decode()


def test_the_verification_page_reads_the_english_title_in_one_query_more(certificate, path):
    _translate(path, "Becoming a Policy Analyst")
    client = Client()

    def queries(language: str) -> list[str]:
        url = _url("certificate_verify", certificate, language)
        client.get(url)  # warm the per-process caches (locales, site root)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    indonesian, english = queries("id-id"), queries("en")

    assert not any("translation_key" in sql for sql in indonesian)
    assert len(english) == len(indonesian) + 1

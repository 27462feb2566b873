"""Certificates: the PDF, its background task, the public verification page, the download and
the admin register with its revoke action."""

import io
import re
import unicodedata
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from content.factories import CompetencyFactory, OrganizationFactory
from courses.factories import CourseCompetencyFactory
from courses.models import CoursePage
from learners.certificate_pdf import certificate_pdf_render
from learners.certificate_services import certificate_revoke
from learners.certificates import certificate_verify_url
from learners.factories import PositionFactory, UserFactory, completed_enrollment
from learners.models import Certificate, LearningRecord
from learners.tasks import certificate_pdf_generate

pytestmark = pytest.mark.django_db

NIP = "198609262015052001"
NIP_GROUPED = "19860926 201505 2 001"


@pytest.fixture
def agency():
    return OrganizationFactory(name="Dinas Kesehatan Kota Bandung", short_name="DINKES-BDG")


@pytest.fixture
def holder(agency):
    return UserFactory(
        email="siti@instansi.go.id",
        full_name="Siti Nurhaliza",
        nip=NIP,
        organization=agency,
        position=PositionFactory(organization=agency, name="Analis Kebijakan Ahli Muda"),
        rank_grade="Penata, III/c",
    )


@pytest.fixture
def make_certificate(course_a):
    """A certificate issued by the service (`lesson_complete` -> `certificate_issue`) to a
    learner who enrolled in course_a on 1 March 2025 and finished it on 15 March 2025.

    The course carries what the PDF tests read (title, competency, signatory); `jp` and
    `valid_months` are the course's JP and certificate validity at issue time, `final_score`
    and `pass_band` what its post-test recorded on the enrollment.
    """
    course_a.course_competencies.all().delete()
    CourseCompetencyFactory(
        page=course_a,
        competency=CompetencyFactory(code="A.1", name="Integritas"),
        target_level=3,
    )

    def make(
        user,
        *,
        jp: Decimal = Decimal("20"),
        valid_months: int | None = None,
        final_score: Decimal | None = None,
        pass_band: str = "",
    ) -> Certificate:
        CoursePage.objects.filter(pk=course_a.pk).update(
            title="Etika Pelayanan Publik — Tingkat Dasar",
            jp=jp,
            certificate_valid_months=valid_months,
            learning_mode="e_learning",
            signatory_name="Dr. Bambang Sutrisno",
            signatory_nip="197001011995031001",
            signatory_title="Kepala Lembaga Pelatihan A",
        )
        enrollment = completed_enrollment(
            user=user,
            course=course_a,
            started_at=timezone.make_aware(datetime(2025, 3, 1, 9, 0)),
            completed_at=timezone.make_aware(datetime(2025, 3, 15, 16, 0)),
            final_score=final_score,
            pass_band=pass_band,
        )
        return enrollment.certificate

    return make


@pytest.fixture
def certificate(make_certificate, holder):
    return make_certificate(holder)


@pytest.fixture
def superuser():
    return UserFactory(
        email="admin@lentera.go.id", full_name="Admin", is_superuser=True, is_staff=True
    )


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _embedded_fonts(content: bytes) -> dict[str, int]:
    """The embedded font programs of the PDF's first page: base font name -> bytes."""
    reader = PdfReader(io.BytesIO(content))
    fonts = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            descriptor = descendant.get_object().get("/FontDescriptor")
            if descriptor is None:
                continue  # a standard font, never embedded
            descriptor = descriptor.get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            if program is not None:
                fonts[str(font["/BaseFont"]).lstrip("/")] = len(program.get_object().get_data())
    return fonts


def _render(certificate) -> bytes:
    return certificate_pdf_render(certificate, verify_url=certificate_verify_url(certificate))


def _verify_url(certificate, language: str = "id-id") -> str:
    with translation.override(language):
        return reverse("learners:certificate_verify", args=[certificate.code])


def _pdf_url(certificate) -> str:
    return reverse("learners:certificate_pdf", args=[certificate.code])


def _download(client, certificate):
    """GET the PDF, reading the streamed file to its end (which closes it)."""
    response = client.get(_pdf_url(certificate))
    if response.streaming:
        # The test client closes the file once the stream is exhausted; closing the response
        # again would also close the test's database connection (request_finished).
        response.content_bytes = b"".join(response.streaming_content)
    return response


def _revoke_url(certificate) -> str:
    return reverse("certificates:revoke", args=[certificate.pk])


# The PDF


def test_pdf_is_one_a4_landscape_page_with_the_frozen_fields(certificate):
    content = _render(certificate)

    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        297,
        210,
    )
    text = _pdf_text(content)
    assert "SERTIFIKAT" in text
    assert f"Nomor: {certificate.serial}" in text
    assert "Siti Nurhaliza" in text
    assert "Etika Pelayanan Publik — Tingkat Dasar" in text
    assert "20 JP" in text
    assert "1 Maret 2025 s.d. 15 Maret 2025" in text
    assert NIP_GROUPED in text
    assert "Dinas Kesehatan Kota Bandung" in text
    assert "Penata, III/c" in text
    assert "Integritas" in text
    assert "Dr. Bambang Sutrisno" in text
    assert "19700101 199503 1 001" in text
    assert certificate_verify_url(certificate) in text


def test_pdf_carries_a_qr_code_image(certificate):
    reader = PdfReader(io.BytesIO(_render(certificate)))

    images = reader.pages[0].images
    assert len(images) == 1
    assert images[0].image.width == images[0].image.height  # a square QR symbol


def test_pdf_prints_valid_until_only_when_set(make_certificate, holder):
    lasting = make_certificate(holder)
    # Completed on 15 March 2025 and valid for three years.
    expiring = make_certificate(UserFactory(), valid_months=36)

    assert "Berlaku sampai" not in _pdf_text(_render(lasting))
    assert "Berlaku sampai dengan 15 Maret 2028" in _pdf_text(_render(expiring))


def test_pdf_prints_the_post_test_pass_band_only_when_there_is_one(make_certificate, holder):
    graded = make_certificate(holder, final_score=Decimal("95.00"), pass_band="Sangat Baik")
    ungraded = make_certificate(UserFactory())

    assert "dengan predikat Sangat Baik" in _pdf_text(_render(graded))
    assert "predikat" not in _pdf_text(_render(ungraded))


def test_verify_page_and_api_show_the_pass_band_printed_on_the_certificate(
    client, make_certificate, holder
):
    certificate = make_certificate(holder, final_score=Decimal("95.00"), pass_band="Sangat Baik")

    response = client.get(_verify_url(certificate, "en"))
    assert response.context["verification"].pass_band == "Sangat Baik"
    assert re.search(r"<dt>Pass band</dt>\s*<dd>Sangat Baik</dd>", response.content.decode())
    api = client.get(f"/api/v1/certificates/{certificate.code}").json()
    assert api["pass_band"] == "Sangat Baik"


def test_verify_page_leaves_out_the_pass_band_when_there_is_none(client, certificate):
    html = client.get(_verify_url(certificate, "en")).content.decode()
    assert "Pass band" not in html


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Minh Khai",
        "Łukasz Żółć",
        "Siti 🌸 Rahma",
        "Ni Luh Putu Ayu’s ☀ Dewi",
        "Ελένη Παπαδοπούλου",
        "สมชาย ใจดี",
    ],
)
def test_pdf_prints_every_name_as_typed(make_certificate, name):
    certificate = make_certificate(UserFactory(full_name=name))

    text = _pdf_text(_render(certificate))

    assert name in text
    assert "?" not in text.replace(certificate_verify_url(certificate), "")


def test_pdf_prints_an_arabic_name_shaped_with_every_letter_mapped(make_certificate):
    name = "محمد عبد الله"
    certificate = make_certificate(UserFactory(full_name=name))
    content = _render(certificate)

    # Noto Sans Arabic draws some dots as glyphs of their own, which have no character: drop
    # the control codes pypdf prints for them. Words come out whole only if the letters were
    # shaped (joined forms in a right-to-left run); unshaped, pypdf reads them back reversed.
    text = "".join(c for c in _pdf_text(content) if unicodedata.category(c) != "Cc")
    for word in name.split():
        assert word in text
    assert "?" not in text.replace(certificate_verify_url(certificate), "")
    assert any("NotoSansArabic" in font for font in _embedded_fonts(content))


def test_pdf_embeds_subsets_of_noto_fonts_and_stays_small(make_certificate):
    certificate = make_certificate(
        UserFactory(full_name="Nguyễn Thị 🌸 محمد", organization=OrganizationFactory(name="Łódź"))
    )
    content = _render(certificate)

    fonts = _embedded_fonts(content)
    # A subset's name carries a six-letter tag (ISO 32000-1, 9.6.4); a subset holds only the
    # glyphs printed, a fraction of the full font files.
    assert {name.split("+", 1)[1] for name in fonts} >= {"NotoSans", "NotoSansArabic"}
    assert any("NotoEmoji" in name for name in fonts)
    assert all(re.fullmatch(r"[A-Z]{6}\+Noto[A-Za-z-]+", name) for name in fonts)
    assert all(size < 60_000 for size in fonts.values())
    assert len(content) < 120_000


def test_pdf_prints_a_fractional_jp_with_a_decimal_comma(make_certificate, holder):
    certificate = make_certificate(holder, jp=Decimal("2.50"))

    assert "2,5 JP" in _pdf_text(_render(certificate))


def test_verify_url_is_absolute_and_in_the_default_language(certificate):
    with translation.override("en"):
        url = certificate_verify_url(certificate)

    assert url == f"http://testserver/sertifikat/{certificate.code}/"


# The background task


def test_pdf_task_stores_the_pdf_once(certificate):
    certificate_pdf_generate.enqueue(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    first_name = certificate.pdf.name

    certificate_pdf_generate.enqueue(certificate_id=certificate.pk)
    certificate.refresh_from_db()

    assert first_name.startswith("certificates/")
    assert first_name.endswith(".pdf")
    assert "LTR-2025-" in first_name
    assert certificate.pdf.name == first_name
    with certificate.pdf.open("rb") as stored:
        assert "Siti Nurhaliza" in _pdf_text(stored.read())


def test_pdf_task_ignores_a_missing_certificate():
    result = certificate_pdf_generate.enqueue(certificate_id=987654)

    assert result.status == "SUCCESSFUL"


# The public verification page


def test_verify_page_shows_a_valid_certificate_without_personal_data(client, certificate):
    response = client.get(_verify_url(certificate))

    assert response.status_code == 200
    assert response.context["verification"].status == "valid"
    html = response.content.decode()
    for shown in (
        certificate.serial,
        "Siti Nurhaliza",
        "Etika Pelayanan Publik — Tingkat Dasar",
        "20 JP",
        "Lembaga Pelatihan A",
    ):
        assert shown in html
    for hidden in (NIP, NIP_GROUPED, "Dinas Kesehatan", "Penata", "Analis Kebijakan"):
        assert hidden not in html
    assert '<meta name="robots" content="noindex">' in html


def test_verify_page_works_in_english(client, certificate):
    response = client.get(_verify_url(certificate, "en"))

    assert response.status_code == 200
    assert "Valid certificate" in response.content.decode()


def test_verify_page_shows_a_revoked_certificate_with_its_date_not_its_reason(
    client, certificate, superuser
):
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.make_aware(datetime(2025, 6, 2, 10, 0)),
        revoked_by=superuser,
        revoked_reason="Plagiarisme pada tugas akhir",
    )

    response = client.get(_verify_url(certificate, "en"))

    assert response.status_code == 200
    assert response.context["verification"].status == "revoked"
    html = response.content.decode()
    assert "Revoked certificate" in html
    assert "2 June 2025" in html
    assert "Plagiarisme" not in html


def test_verify_page_shows_an_expired_certificate(client, make_certificate, holder):
    # Completed on 15 March 2025, valid for a month.
    certificate = make_certificate(holder, valid_months=1)

    response = client.get(_verify_url(certificate, "en"))

    assert response.context["verification"].status == "expired"
    assert "Expired certificate" in response.content.decode()


def test_verify_page_answers_404_for_an_unknown_code(client):
    with translation.override("en"):
        url = reverse("learners:certificate_verify", args=["bukan-kode-yang-benar"])

    response = client.get(url)

    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()


def test_verify_page_runs_a_fixed_number_of_queries(client, certificate, django_assert_num_queries):
    client.get(_verify_url(certificate))  # warm caches (site root, etc.)

    with django_assert_num_queries(3, exact=False) as captured:
        client.get(_verify_url(certificate))
    assert len([q for q in captured if "learners_certificate" in q["sql"]]) == 1


# The PDF download


def test_holder_downloads_the_pdf_rendered_on_demand(client_for, certificate):
    assert not certificate.pdf

    response = _download(client_for(certificate.enrollment.user), certificate)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="sertifikat-LTR-2025-' in response["Content-Disposition"]
    assert "Siti Nurhaliza" in _pdf_text(response.content_bytes)
    certificate.refresh_from_db()
    assert certificate.pdf


def test_another_learner_gets_404_for_the_pdf(client_for, certificate):
    response = _download(client_for(UserFactory()), certificate)

    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_log_in_for_the_pdf(client, certificate):
    response = client.get(_pdf_url(certificate))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_admin_of_the_holders_organization_downloads_the_pdf(client_for, certificate, agency):
    hr = UserFactory(admin_of=agency)

    response = _download(client_for(hr), certificate)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_admin_of_another_organization_gets_404_for_the_pdf(client_for, certificate):
    other_hr = UserFactory(admin_of=OrganizationFactory())

    response = _download(client_for(other_hr), certificate)

    assert response.status_code == 404


def test_superuser_downloads_the_pdf(client_for, certificate, superuser):
    response = _download(client_for(superuser), certificate)

    assert response.status_code == 200


def test_download_serves_the_stored_pdf(client_for, certificate):
    certificate_pdf_generate.enqueue(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    stored_name = certificate.pdf.name

    response = _download(client_for(certificate.enrollment.user), certificate)

    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.pdf.name == stored_name


# The admin register and revoking


def test_superuser_lists_searches_and_filters_certificates(
    client_for, superuser, make_certificate, holder
):
    kept = make_certificate(holder)
    revoked = make_certificate(UserFactory(full_name="Budi Santoso"))
    certificate_revoke(certificate=revoked, revoked_by=superuser, reason="Salah")
    client = client_for(superuser)
    index = reverse("certificates:index")

    listed = client.get(index)
    searched = client.get(index, {"q": "Budi"})
    only_revoked = client.get(index, {"revoked": "true"})

    assert listed.status_code == 200
    assert kept.serial in listed.content.decode()
    assert revoked.serial in listed.content.decode()
    assert [c.pk for c in searched.context["object_list"]] == [revoked.pk]
    assert [c.pk for c in only_revoked.context["object_list"]] == [revoked.pk]


def test_admin_offers_no_add_edit_or_delete(client_for, superuser, certificate):
    client = client_for(superuser)

    inspect = client.get(reverse("certificates:inspect", args=[certificate.pk]))

    assert inspect.status_code == 200
    assert client.get("/admin/certificates/new/").status_code == 404
    assert client.get(f"/admin/certificates/edit/{certificate.pk}/").status_code == 404
    assert client.get(f"/admin/certificates/delete/{certificate.pk}/").status_code == 404


def test_superuser_revokes_a_certificate_and_the_verify_page_says_so(
    client_for, client, superuser, certificate
):
    response = client_for(superuser).post(
        _revoke_url(certificate), {"reason": "Data peserta tidak benar"}
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_by == superuser
    assert certificate.revoked_reason == "Data peserta tidak benar"
    assert timezone.now() - certificate.revoked_at < timedelta(minutes=1)
    assert LearningRecord.objects.filter(
        verb=LearningRecord.Verb.CERTIFICATE_REVOKED, actor=superuser
    ).exists()
    assert client.get(_verify_url(certificate)).context["verification"].status == "revoked"


def test_revoking_needs_a_reason(client_for, superuser, certificate):
    response = client_for(superuser).post(_revoke_url(certificate), {"reason": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_revoking_twice_shows_the_services_refusal(client_for, superuser, certificate):
    client = client_for(superuser)
    form_view = client.get(_revoke_url(certificate))
    client.post(_revoke_url(certificate), {"reason": "Pertama"})

    response = client.post(_revoke_url(certificate), {"reason": "Kedua"})

    assert form_view.status_code == 200
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Pertama"


def test_learner_cannot_reach_the_revoke_view(client_for, certificate):
    client = client_for(certificate.enrollment.user)

    shown = client.get(_revoke_url(certificate))
    posted = client.post(_revoke_url(certificate), {"reason": "Saya sendiri"})

    assert shown.status_code in (302, 403)
    assert posted.status_code in (302, 403)
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_editor_without_the_certificate_permission_cannot_revoke(client_for, editor_a, certificate):
    client = client_for(editor_a)

    listed = client.get(reverse("certificates:index"))
    posted = client.post(_revoke_url(certificate), {"reason": "Bukan wewenang"})

    assert listed.status_code in (302, 403)
    assert posted.status_code in (302, 403)
    certificate.refresh_from_db()
    assert not certificate.is_revoked


# The snapshot


def test_renaming_the_holder_after_issue_changes_neither_pdf_nor_verify_page(
    client, certificate, holder
):
    holder.full_name = "Siti Nurhaliza Rahmawati"
    holder.nip = None
    holder.save()
    certificate.refresh_from_db()

    text = _pdf_text(_render(certificate))
    html = client.get(_verify_url(certificate)).content.decode()

    assert "Siti Nurhaliza" in text
    assert "Rahmawati" not in text
    assert NIP_GROUPED in text
    assert "Siti Nurhaliza" in html
    assert "Rahmawati" not in html

"""The whole learner journey through the HTML pages, as a newcomer would live it."""

import io

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from courses.models import LessonPage
from learners.factories import UserFactory
from learners.models import Certificate, LessonCompletion, User

pytestmark = pytest.mark.django_db


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def test_learner_journey_from_sign_up_to_revoked_certificate(course_a, provider_a, client_for):
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Siti Rahmawati",
            "email": "siti.rahmawati@kemendagri.go.id",
            "password1": "Belajar-Terus-2026",
            "password2": "Belajar-Terus-2026",
            "account_kind": "pns",
            "nip": "19860926 201505 2 001",
            "organization": provider_a.pk,
            "rank_grade": "Penata, III/c",
            "supervisor_name": "Budi Santoso",
            "supervisor_email": "budi.santoso@kemendagri.go.id",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="siti.rahmawati@kemendagri.go.id")
    assert user.nip == "198609262015052001"
    client.force_login(user)  # e-mail verification is optional locally

    course_html = client.get(course_a.url).content.decode()
    assert "/daftar/" in course_html
    response = client.post(f"/kursus/{course_a.pk}/daftar/")
    assert response.status_code == 302
    assert "Lanjutkan belajar" in client.get(course_a.url).content.decode()

    lessons = lessons_of(course_a)
    for lesson in lessons:
        page = client.get(lesson.url).content.decode()
        assert f"/pelajaran/{lesson.pk}/selesai/" in page
        response = client.post(f"/pelajaran/{lesson.pk}/selesai/")
        assert response.status_code == 302

    certificate = Certificate.objects.get(enrollment__user=user)
    my_learning = client.get("/saya/").content.decode()
    assert certificate.serial in my_learning
    assert "Etika Pelayanan" in my_learning

    pdf = client.get(f"/sertifikat/{certificate.code}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf))).pages)
    assert "Siti Rahmawati" in text
    assert "Etika Pelayanan" in text
    assert "JP" in text

    anonymous = Client()
    verify = anonymous.get(f"/sertifikat/{certificate.code}/").content.decode()
    assert "Siti Rahmawati" in verify and certificate.serial in verify
    assert "198609262015052001" not in verify and "19860926" not in verify

    admin = UserFactory(email="admin@lentera.go.id", is_superuser=True, is_staff=True)
    from learners import certificate_services

    certificate_services.certificate_revoke(
        certificate=certificate, revoked_by=admin, reason="Uji coba"
    )
    verify = anonymous.get(f"/sertifikat/{certificate.code}/")
    assert "dicabut" in verify.content.decode().lower()
    assert mail.outbox is not None


def test_another_learner_cannot_see_or_change_my_learning(course_a, client_for):
    owner = UserFactory(email="pemilik@instansi.go.id")
    intruder = UserFactory(email="penyusup@instansi.go.id")
    client_for(owner).post(f"/kursus/{course_a.pk}/daftar/")
    for lesson in lessons_of(course_a):
        client_for(owner).post(f"/pelajaran/{lesson.pk}/selesai/")
    certificate = Certificate.objects.get(enrollment__user=owner)

    intruder_client = client_for(intruder)
    assert intruder_client.get(f"/sertifikat/{certificate.code}/pdf/").status_code == 404
    assert certificate.serial not in intruder_client.get("/saya/").content.decode()
    # Withdrawing someone else's enrollment is impossible: the URL only acts on one's own.
    assert intruder_client.post(f"/kursus/{course_a.pk}/keluar/").status_code == 404
    ledger_csv = b"".join(intruder_client.get("/saya/jp.csv").streaming_content).decode()
    assert certificate.serial not in ledger_csv


def test_completing_a_lesson_without_enrolling_changes_nothing(course_a, client_for):
    learner = UserFactory(email="belum@instansi.go.id")
    lesson = lessons_of(course_a)[0]
    response = client_for(learner).post(f"/pelajaran/{lesson.pk}/selesai/", follow=True)
    assert response.status_code == 200
    assert not learner.enrollments.exists()
    assert not LessonCompletion.objects.exists()


def test_completing_a_lesson_never_redirects_off_site(course_a, client_for):
    learner = UserFactory(email="aman@instansi.go.id")
    client = client_for(learner)
    client.post(f"/kursus/{course_a.pk}/daftar/")
    lesson = lessons_of(course_a)[0]
    response = client.post(
        f"/pelajaran/{lesson.pk}/selesai/", {"next": "https://phishing.example/login"}
    )
    assert response.status_code == 302
    assert response["Location"] == lesson.url

"""The data download holds the paths a person follows and their path certificates; erasure
keeps them anonymised and the certificate verifiable without the name."""

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from development import services as development_services
from development.factories import DevelopmentRecordFactory, form_of
from learners.factories import completed_enrollment
from paths.certificates import path_certificate_pdf_store
from paths.models import PathCertificate, PathEnrollment
from paths.services import path_follow
from privacy.data_export import personal_data_archive
from privacy.erasure import account_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(path, learner, supervisor, course_a):
    completed_enrollment(user=learner, course=course_a)
    record = DevelopmentRecordFactory(owner=learner, form=form_of("mentoring"), jp=Decimal(5))
    development_services.record_verify(record=record, verifier=supervisor)
    return path_follow(user=learner, path=path).certificate


def test_the_download_holds_paths_and_their_certificates(certificate, learner, path):
    with zipfile.ZipFile(io.BytesIO(personal_data_archive(learner))) as archive:
        data = json.loads(archive.read("data.json"))
        [row] = data["learning_paths"]
        assert row["path_title"] == path.title
        assert row["certificate"]["serial"] == certificate.serial
        assert row["certificate"]["holder_nip"] == learner.nip
        assert archive.read(row["certificate"]["pdf"]).startswith(b"%PDF")


def test_erasure_keeps_the_path_and_a_nameless_verifiable_certificate(
    certificate, learner, django_capture_on_commit_callbacks
):
    certificate = path_certificate_pdf_store(certificate_id=certificate.pk)
    storage, name = certificate.pdf.storage, certificate.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=learner)
    certificate.refresh_from_db()
    assert certificate.holder_nip == ""
    assert "Dewi" not in certificate.holder_name
    assert not certificate.pdf
    assert not storage.exists(name)
    assert PathEnrollment.objects.filter(user=learner).exists()
    response = Client().get(reverse("paths:certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    assert "Dewi" not in response.content.decode()
    assert PathCertificate.objects.count() == 1

"""A person's development records in their data download, and what erasing the account leaves
of them (UU PDP art. 7, 8 and 13)."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content.factories import CompetencyFactory
from development import services
from development.factories import form_of
from development.models import DevelopmentRecord, EvidenceFile
from privacy.data_export import personal_data_archive
from privacy.erasure import account_erase

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _record(owner, supervisor):
    record = services.record_create(
        owner=owner,
        form=form_of("belajar-mandiri"),
        title="Belajar Analisis Kebijakan",
        start_date=timezone.localdate() - timedelta(days=4),
        end_date=timezone.localdate() - timedelta(days=2),
        hours=Decimal("6"),
        competencies=[CompetencyFactory(code="T.01", name="Analisis Kebijakan")],
        report="Membaca tiga buku tentang analisis kebijakan.",
        evidence_url="https://contoh.go.id/catatan",
        files=[SimpleUploadedFile("catatan.pdf", PDF)],
    )
    services.record_verify(record=record, verifier=supervisor, note="Bagus, lanjutkan.")
    return record


def test_the_data_download_holds_the_records_and_their_evidence(owner, supervisor):
    record = _record(owner, supervisor)
    archive = zipfile.ZipFile(io.BytesIO(personal_data_archive(owner)))
    data = json.loads(archive.read("data.json"))
    [row] = data["development_records"]
    assert row["title"] == "Belajar Analisis Kebijakan"
    assert row["status"] == "verified" and row["decision_note"] == "Bagus, lanjutkan."
    assert Decimal(row["jp"]) == Decimal(row["jp_credited"]) == Decimal(8)  # 6 hours
    assert row["competencies"] == ["T.01 Analisis Kebijakan"]
    [evidence] = row["evidence_files"]
    assert evidence["original_name"] == "catatan.pdf"
    assert archive.read(evidence["file"]) == PDF
    assert evidence["file"].startswith(f"bukti-pengembangan/{record.pk}-")


def test_erasure_keeps_the_learning_and_removes_what_names_or_describes_the_person(
    owner, supervisor, django_capture_on_commit_callbacks
):
    record = _record(owner, supervisor)
    stored = record.evidence_files.get()
    storage, name = stored.file.storage, stored.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=owner)
    record = DevelopmentRecord.objects.get(pk=record.pk)
    assert (record.status, record.jp) == ("verified", Decimal("8.00"))
    assert record.report == record.evidence_url == record.decision_note == ""
    assert not EvidenceFile.objects.exists()
    assert not storage.exists(name)

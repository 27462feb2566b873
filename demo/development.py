"""Demo development outside courses, recorded and decided through `development.services` as
people would: Dewi has a seminar verified by her supervisor (with its certificate),
self-study waiting for verification and a workshop rejected; Yusuf has a benchmarking visit
returned for changes and a bimtek verified."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from content.models import Competency
from demo.media import document_pdf
from development import services
from development.models import DevelopmentForm, DevelopmentRecord
from learners.models import User


def _certificate(title: str, issuer: str) -> SimpleUploadedFile:
    """The certificate a learner uploads as evidence (a real PDF)."""
    data = document_pdf(
        title=f"Sertifikat: {title}",
        text="Diberikan kepada peserta yang telah mengikuti kegiatan ini sampai selesai.",
        issuer=issuer,
    )
    return SimpleUploadedFile("sertifikat.pdf", data, content_type="application/pdf")


def _record(owner: User, form_code: str, *, days_ago: int, days: int = 1, **fields):
    end = timezone.localdate() - timedelta(days=days_ago)
    return services.record_create(
        owner=owner,
        form=DevelopmentForm.objects.get(code=form_code),
        start_date=end - timedelta(days=days - 1),
        end_date=end,
        **fields,
    )


@transaction.atomic
def seed_development(report) -> None:
    """Seed the demo learners' records once. `report` is `demo.builders.SeedReport`."""
    dewi = User.objects.get(email="peserta1@lentera.localhost")
    yusuf = User.objects.get(email="peserta2@lentera.localhost")
    own_records = DevelopmentRecord.objects.filter(
        owner__in=[dewi, yusuf], coaching_session__isnull=True
    )
    if own_records.exists():
        return
    supervisor = dewi.supervisor
    public_service = Competency.objects.filter(name="Pelayanan Publik").first()
    competencies = [public_service] if public_service else []

    seminar_title = "Seminar Nasional Inovasi Pelayanan Publik 2026"
    seminar = _record(
        dewi,
        "seminar",
        days_ago=45,
        title=seminar_title,
        organizer="Kementerian PANRB",
        hours=Decimal("6"),
        competencies=competencies,
        report="Praktik baik mal pelayanan publik; akan saya usulkan untuk loket unit kami.",
        files=[_certificate(seminar_title, "Kementerian PANRB")],
    )
    services.record_verify(record=seminar, verifier=supervisor, note="Sertifikat sesuai.")
    _record(
        dewi,
        "belajar-mandiri",
        days_ago=12,
        days=10,
        title="Belajar mandiri: analisis data survei kepuasan masyarakat",
        organizer="Mandiri",
        hours=Decimal("8"),
        report=(
            "Mempelajari modul BPS tentang analisis indeks kepuasan dan menghitung ulang IKM "
            "unit kami; hasilnya akan dipakai dalam laporan triwulan."
        ),
        evidence_url="https://www.bps.go.id/id/publication",
    )
    workshop = _record(
        dewi,
        "workshop",
        days_ago=70,
        days=2,
        title="Lokakarya penulisan naskah kebijakan",
        organizer="Pusat Pembelajaran LAN",
        hours=Decimal("12"),
        evidence_url="https://lan.go.id/",
    )
    services.record_reject(
        record=workshop,
        verifier=supervisor,
        note="Tautan bukan sertifikat; unggah sertifikat lokakarya lalu catat ulang.",
    )

    visit = _record(
        yusuf,
        "patok-banding",
        days_ago=25,
        days=2,
        title="Patok banding pengelolaan data ke Pemprov DIY",
        organizer="Dinas Kominfo DIY",
        hours=Decimal("10"),
        report="Kunjungan ke bidang statistik sektoral.",
        evidence_url="https://diskominfo.jogjaprov.go.id/",
    )
    services.record_request_changes(
        record=visit,
        verifier=supervisor,
        note="Laporan terlalu singkat: tulis apa yang dipelajari dan rencana penerapannya.",
    )
    bimtek_title = "Bimbingan teknis satu data Indonesia"
    bimtek = _record(
        yusuf,
        "bimbingan-teknis",
        days_ago=60,
        days=3,
        title=bimtek_title,
        organizer="Bappenas",
        hours=Decimal("18"),
        files=[_certificate(bimtek_title, "Bappenas")],
    )
    services.record_verify(record=bimtek, verifier=supervisor)
    report.add("development records", 5)

"""The learner's JP ledger as files: every entry that counts as CSV, and the SIASN-shaped export
(under /saya/, beside the my-learning page that shows the same ledger)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exports import csv_response
from development import ledger


@login_required
def jp_ledger_csv(request: HttpRequest) -> HttpResponse:
    """Every entry that counts, over all years: completed courses and verified records."""
    rows = [
        [
            entry.ended_on.year,
            entry.title,
            entry.jp,
            entry.ended_on.isoformat(),
            entry.certificate.serial if entry.certificate else entry.evidence_url,
            entry.form,
            entry.mode,
            entry.started_on.isoformat() if entry.started_on else "",
        ]
        for entry in ledger.counted_entries(request.user)
    ]
    return csv_response(
        filename="jp-ledger.csv",
        header=[
            _("Year"),
            _("Title"),
            _("JP"),
            _("Completed on"),
            _("Certificate or evidence"),
            _("Form"),
            _("Mode"),
            _("Start date"),
        ],
        rows=rows,
    )


def _siasn_row(request: HttpRequest, entry: ledger.LedgerEntry) -> list:
    if entry.record is None:
        # A course keeps what it always exported: its certificate, mode and PDF.
        certificate = entry.certificate
        return [
            certificate.serial,
            certificate.course_title,
            certificate.started_on.isoformat(),
            certificate.completed_on.isoformat(),
            certificate.completed_on.year,
            certificate.jp,
            certificate.provider_name,
            certificate.learning_mode,
            request.build_absolute_uri(
                reverse("learners:certificate_pdf", args=[certificate.code])
            ),
            "",
            "",
        ]
    record, form = entry.record, entry.record.form
    document = record.evidence_url or request.build_absolute_uri(
        reverse("development:record_detail", args=[record.pk])
    )
    return [
        "",
        record.title,
        record.start_date.isoformat(),
        record.end_date.isoformat(),
        record.end_date.year,
        record.jp_credited,
        record.organizer,
        form.name,
        document,
        form.siasn_jenis_diklat_id or "",
        form.siasn_jenis_diklat_name,
    ]


@login_required
def siasn_export_csv(request: HttpRequest) -> HttpResponse:
    """Training history in the shape SIASN's course record needs: the courses that count and
    have a certificate (SIASN records a course by its certificate), and the verified records
    with their form's `jenisDiklat`."""
    rows = [
        _siasn_row(request, entry)
        for entry in ledger.counted_entries(request.user)
        if entry.record is not None or entry.certificate is not None
    ]
    return csv_response(
        filename="siasn-riwayat-kursus.csv",
        header=[
            "nomorSertifikat",
            "namaKursus",
            "tanggalMulai",
            "tanggalSelesai",
            "tahunKursus",
            "jumlahJam",
            "institusiPenyelenggara",
            "jenisKursus",
            "dokumenSertifikat",
            "jenisDiklatId",
            "jenisDiklat",
        ],
        rows=rows,
    )

"""The SIASN shape of the JP ledger: one row of BKN's `riwayat diklat/kursus` per entry that counts.

One row builder for the learner's own export (`/saya/siasn.csv`) and HR's organization-wide
export (`compliance`): a completed course by its certificate (SIASN records a course by its
certificate; a course without one is left out), a verified record with its form's
`jenisDiklat` mapping (`DevelopmentForm.siasn_jenis_diklat_id`).
"""

from collections.abc import Callable

from django.urls import reverse

from development.ledger import LedgerEntry

#: The columns of one row, named as SIASN's course record names them.
SIASN_HEADER = [
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
]


def siasn_exported(entry: LedgerEntry) -> bool:
    """Whether SIASN takes the entry: a verified record, or a course with its certificate."""
    return entry.record is not None or entry.certificate is not None


def siasn_row(entry: LedgerEntry, *, absolute_uri: Callable[[str], str]) -> list:
    """The `SIASN_HEADER` columns of one counted entry; `absolute_uri` makes a path a full
    address (`request.build_absolute_uri`) for the certificate PDF or the record's page."""
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
            absolute_uri(reverse("learners:certificate_pdf", args=[certificate.code])),
            "",
            "",
        ]
    record, form = entry.record, entry.record.form
    document = record.evidence_url or absolute_uri(
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

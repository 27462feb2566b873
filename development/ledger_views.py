"""The learner's JP ledger as files: every entry that counts as CSV, and the SIASN-shaped export
(under /saya/, beside the my-learning page that shows the same ledger)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from core.exports import csv_response
from development import ledger
from development.siasn import SIASN_HEADER, siasn_exported, siasn_row


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


@login_required
def siasn_export_csv(request: HttpRequest) -> HttpResponse:
    """Training history in the shape SIASN's course record needs: the courses that count and
    have a certificate (SIASN records a course by its certificate), and the verified records
    with their form's `jenisDiklat`."""
    rows = [
        siasn_row(entry, absolute_uri=request.build_absolute_uri)
        for entry in ledger.counted_entries(request.user)
        if siasn_exported(entry)
    ]
    return csv_response(
        filename="siasn-riwayat-kursus.csv",
        header=SIASN_HEADER,
        rows=rows,
    )

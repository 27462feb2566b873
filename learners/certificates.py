"""The certificate document: an A4 landscape PDF drawn from the certificate's frozen fields.

The PDF is always in Bahasa Indonesia, whatever the interface language of the person who asked
for it: it is an official document. Everything printed comes from the snapshot taken at issue
time, never from the live user or course, so a certificate reads the same forever. The QR code
points to the public verification page, as government e-documents do.
"""

import io
import secrets
import unicodedata
from datetime import date
from decimal import Decimal

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from learners.models import Certificate, User
from learners.nip import nip_format
from learners.permissions import can_view_learner_records

# Printed wording (Indonesian by design: see the module docstring).
TITLE = "SERTIFIKAT"
NUMBER_LABEL = "Nomor"
AWARDED_TO = "diberikan kepada"
NIP_LABEL = "NIP"
AGENCY_LABEL = "Instansi"
POSITION_LABEL = "Jabatan"
RANK_GRADE_LABEL = "Pangkat/Golongan"
COMPLETED = "telah menyelesaikan"
JP_UNIT = "JP"
WORKLOAD_LABEL = "dengan beban belajar"
DATES_LABEL = "pada tanggal"
DATE_RANGE_JOIN = "s.d."
COMPETENCIES_LABEL = "Kompetensi"
COMPETENCY_LEVEL_LABEL = "level"
VALID_UNTIL_LABEL = "Berlaku sampai dengan"
ISSUED_ON_LABEL = "Diterbitkan tanggal"
SCAN_TO_VERIFY = "Pindai kode QR untuk memeriksa keaslian sertifikat ini:"
CREATOR = "Lentera"
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# Page geometry in millimetres (A4 landscape).
PAGE_WIDTH = 297
PAGE_HEIGHT = 210
MARGIN = 20
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 30  # at least 25 mm, so a phone reads it from a printed copy
COMPETENCIES_MAX_CHARS = 280  # about two lines; the verification page is the full record

# PDF core fonts cover Latin-1 only; typographic marks are mapped to plain ones and other
# accented letters lose their accents (ş -> s) rather than print as "?".
_LATIN1_FALLBACKS = str.maketrans(
    {"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "•": "-"}
)


def _pdf_text(text: str) -> str:
    text = str(text).translate(_LATIN1_FALLBACKS)
    try:
        return text.encode("latin-1").decode("latin-1")
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        return unicodedata.normalize("NFC", stripped).encode("latin-1", "replace").decode("latin-1")


def date_id(day: date) -> str:
    """A date the Indonesian way: 17 Agustus 2025."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def jp_id(jp: Decimal) -> str:
    """Learning hours the Indonesian way: 20 JP, 2,5 JP."""
    return f"{format(Decimal(jp).normalize(), 'f').replace('.', ',')} {JP_UNIT}"


class CertificateStatus(models.TextChoices):
    """What a certificate is worth today, as the verification page and the admin tell it."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Not found")


def certificate_status(certificate: Certificate | None) -> CertificateStatus:
    """Revoked outranks expired; a missing certificate is "not found"."""
    if certificate is None:
        return CertificateStatus.UNKNOWN
    if certificate.is_revoked:
        return CertificateStatus.REVOKED
    if certificate.valid_until and certificate.valid_until < timezone.localdate():
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def certificate_verify_url(certificate: Certificate) -> str:
    """The absolute public verification URL, in the default language (no /en/ prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("learners:certificate_verify", args=[certificate.code])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    # No quiet zone in the image: the white page around it is the quiet zone.
    segno.make_qr(url, error="m").save(buffer, kind="png", scale=10, border=0)
    buffer.seek(0)
    return buffer


def _competencies_text(competencies: list[dict]) -> str:
    items = [
        f"{item.get('name', '')} ({COMPETENCY_LEVEL_LABEL} {item['level']})"
        if item.get("level")
        else str(item.get("name", ""))
        for item in competencies
    ]
    text = "; ".join(item for item in items if item)
    if len(text) > COMPETENCIES_MAX_CHARS:
        text = text[: COMPETENCIES_MAX_CHARS - 3].rsplit(" ", 1)[0] + "..."
    return text


class _CertificatePDF(FPDF):
    def centered(self, text: str, *, size: float, style: str = "", height: float | None = None):
        self.set_font("Helvetica", style, size)
        self.set_x(MARGIN)
        self.multi_cell(
            TEXT_WIDTH,
            height or size * 0.5,
            _pdf_text(text),
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def certificate_pdf_render(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF, with a QR code pointing to `verify_url`."""
    pdf = _CertificatePDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(_pdf_text(f"{TITLE.title()} {certificate.serial or ''}".strip()))
    pdf.set_author(_pdf_text(certificate.provider_name))
    pdf.set_subject(_pdf_text(certificate.course_title))
    pdf.set_creator(CREATOR)
    pdf.set_creation_date(certificate.issued_at)
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_page()

    # A double frame.
    pdf.set_draw_color(40, 60, 90)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, PAGE_WIDTH - 16, PAGE_HEIGHT - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, PAGE_WIDTH - 22, PAGE_HEIGHT - 22)

    pdf.set_text_color(40, 60, 90)
    pdf.set_y(18)
    pdf.centered(certificate.provider_name.upper(), size=12, style="B", height=6)
    pdf.ln(2)
    pdf.set_font("Times", "B", 34)
    pdf.cell(0, 14, TITLE, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.centered(f"{NUMBER_LABEL}: {certificate.serial or ''}", size=11, height=6)
    pdf.ln(3)
    pdf.centered(AWARDED_TO, size=12, style="I", height=6)
    pdf.ln(1)
    pdf.centered(certificate.holder_name, size=22, style="B", height=10)
    pdf.ln(2)

    details = [
        (NIP_LABEL, nip_format(certificate.holder_nip)),
        (AGENCY_LABEL, certificate.holder_agency),
        (POSITION_LABEL, certificate.holder_position),
        (RANK_GRADE_LABEL, certificate.holder_rank_grade),
    ]
    label_x, value_x = 95, 135
    for label, value in details:
        if not value:
            continue
        pdf.set_x(label_x)
        pdf.set_font("Helvetica", "", 11)
        pdf.cell(value_x - label_x, 6, _pdf_text(label))
        pdf.cell(4, 6, ":")
        pdf.multi_cell(
            PAGE_WIDTH - MARGIN - value_x - 4,
            6,
            _pdf_text(value),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            align=Align.L,
        )
    pdf.ln(3)

    pdf.centered(COMPLETED, size=12, style="I", height=6)
    pdf.ln(1)
    pdf.centered(certificate.course_title, size=16, style="B", height=8)
    pdf.ln(1)
    period = (
        f"{date_id(certificate.started_on)} {DATE_RANGE_JOIN} {date_id(certificate.completed_on)}"
        if certificate.started_on != certificate.completed_on
        else date_id(certificate.completed_on)
    )
    mode = f" ({certificate.learning_mode})" if certificate.learning_mode else ""
    pdf.centered(
        f"{WORKLOAD_LABEL} {jp_id(certificate.jp)}, {DATES_LABEL} {period}{mode}",
        size=11,
        height=6,
    )
    if certificate.competencies:
        pdf.centered(
            f"{COMPETENCIES_LABEL}: {_competencies_text(certificate.competencies)}",
            size=9,
            height=4.5,
        )
    if certificate.valid_until:
        pdf.centered(f"{VALID_UNTIL_LABEL} {date_id(certificate.valid_until)}", size=10, height=6)

    # The QR code (bottom left) and the signatory (bottom right), below whatever came above.
    bottom = min(max(pdf.get_y() + 5, 140), PAGE_HEIGHT - 16 - QR_SIZE - 12)
    pdf.image(
        _qr_png(verify_url),
        x=MARGIN,
        y=bottom,
        w=QR_SIZE,
        h=QR_SIZE,
        alt_text=SCAN_TO_VERIFY,
    )
    pdf.set_xy(MARGIN, bottom + QR_SIZE + 1.5)
    pdf.set_font("Helvetica", "", 7)
    pdf.multi_cell(110, 3.2, SCAN_TO_VERIFY, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(MARGIN)
    pdf.multi_cell(
        110,
        3.2,
        _pdf_text(verify_url),
        align=Align.L,
        link=verify_url,
        wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    block_x, block_width = 180, PAGE_WIDTH - MARGIN - 180
    issued_on = timezone.localtime(certificate.issued_at).date()
    pdf.set_xy(block_x, bottom)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        block_width,
        5,
        _pdf_text(f"{ISSUED_ON_LABEL} {date_id(issued_on)}"),
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_x(block_x)
    pdf.multi_cell(
        block_width,
        5,
        _pdf_text(certificate.signatory_title or certificate.provider_name),
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if certificate.signatory_name:
        # Room for a wet or electronic signature.
        pdf.set_xy(block_x, max(pdf.get_y() + 16, bottom + 26))
        pdf.set_font("Helvetica", "BU", 11)
        pdf.multi_cell(
            block_width,
            5.5,
            _pdf_text(certificate.signatory_name),
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if certificate.signatory_nip:
            pdf.set_x(block_x)
            pdf.set_font("Helvetica", "", 10)
            pdf.cell(
                block_width,
                5,
                _pdf_text(f"{NIP_LABEL}. {nip_format(certificate.signatory_nip)}"),
                align=Align.C,
            )
    return bytes(pdf.output())


def certificate_can_download(*, user: User, certificate: Certificate) -> bool:
    """The PDF (with the holder's NIP) is for those who may see the holder's records."""
    return can_view_learner_records(user, certificate.enrollment.user)


def certificate_pdf_filename(certificate: Certificate) -> str:
    """The download name: the serial, safe for file systems (LTR/2025/000001 -> LTR-2025-...)."""
    stem = (certificate.serial or certificate.code).replace("/", "-").replace("\\", "-")
    return f"sertifikat-{stem}.pdf"


def certificate_pdf_is_stored(certificate: Certificate) -> bool:
    """Whether the PDF exists in storage (a restored database may point at a lost file)."""
    return bool(certificate.pdf) and certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_pdf_store(*, certificate_id: int) -> Certificate | None:
    """Render and store a certificate's PDF once; returns the certificate, None if it is gone.

    Idempotent: a stored PDF is kept as it is. The row lock makes a download racing the
    background task wait for it rather than render a second copy.
    """
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or certificate_pdf_is_stored(certificate):
            return certificate
        content = certificate_pdf_render(
            certificate, verify_url=certificate_verify_url(certificate)
        )
        # A random part in the stored name: the serial is guessable, and the PDF carries the
        # holder's NIP, so its storage path must not be.
        stem = certificate_pdf_filename(certificate).removesuffix(".pdf")
        certificate.pdf.save(
            f"{stem}-{secrets.token_urlsafe(12)}.pdf", ContentFile(content), save=False
        )
        certificate.save(update_fields=["pdf"])
    return certificate

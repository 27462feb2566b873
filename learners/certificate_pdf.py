"""The certificate document: an A4 landscape PDF drawn from the certificate's frozen fields,
stored once by `learners.certificates.certificate_pdf_store` (run by the task queued at issue).

The PDF is always in Bahasa Indonesia, whatever the interface language of the person who asked
for it: it is an official document. Everything printed comes from the snapshot taken at issue
time, never from the live user or course, so a certificate reads the same forever. The QR code
points to the public verification page, as government e-documents do.
"""

import atexit
import functools
import io
import shutil
import tempfile
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import manimgx_fonts
import segno
from django.utils import timezone
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from learners.models import Certificate
from learners.nip import nip_format

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
PREDICATE_LABEL = "dengan predikat"
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

# Fonts. Names are printed as typed, in any script: the PDF core fonts (Latin-1 only) would
# print "?" for Nguyễn, محمد or 🌸. Everything is set in Noto Sans; a character it lacks falls
# back to the first other Noto font that has it (scripts, then symbols, then monochrome Noto
# Emoji). The fonts come from a wheel (SIL Open Font License), so a fresh clone needs no
# system package; fpdf2 embeds each font used as a subset of the glyphs printed, and shapes
# the text with HarfBuzz (uharfbuzz), which Arabic script needs (joined letters, right to
# left). Chinese, Japanese and Korean are not in the wheel: they print as empty boxes.
FONT_DIR = Path(manimgx_fonts.__file__).parent
FONT = "NotoSans"
FONT_ITALIC_FILE = "NotoSans-Italic"
REGULAR_WEIGHT = 400
BOLD_WEIGHT = 700
# Last in the fallback chain, in this order: scripts first, then symbols, then emoji.
FALLBACK_FONTS_LAST = ("NotoSansSymbols", "NotoEmoji")

_font_lock = threading.Lock()
_font_cache_dir: Path | None = None


@functools.cache
def _weight_axis(name: str) -> tuple[float, float, float]:
    """The weight axis of the variable font `name`: (lightest, default, boldest)."""
    axes = TTFont(FONT_DIR / f"{name}[wght].ttf", lazy=True)["fvar"].axes
    axis = next(axis for axis in axes if axis.axisTag == "wght")
    return axis.minValue, axis.defaultValue, axis.maxValue


def _font_file(name: str, weight: int) -> Path:
    """The font file `name` at `weight`: the variable font itself at its default weight,
    otherwise a static instance made once per process (fpdf2 would make one per PDF, over a
    second each, and HarfBuzz would then space bold glyphs with the regular widths)."""
    global _font_cache_dir
    source = FONT_DIR / f"{name}[wght].ttf"
    lightest, default, boldest = _weight_axis(name)
    weight = round(min(max(weight, lightest), boldest))
    if weight == default:
        return source
    with _font_lock:
        # A directory private to this process (mkdtemp creates it 0700, so nobody else can
        # swap a font in), made again if a /tmp cleaner removed it.
        if _font_cache_dir is None or not _font_cache_dir.is_dir():
            _font_cache_dir = Path(tempfile.mkdtemp(prefix="lentera-fonts-"))
            atexit.register(shutil.rmtree, _font_cache_dir, ignore_errors=True)
        target = _font_cache_dir / f"{name}-{weight}.ttf"
        if not target.exists():
            font = TTFont(source)
            instancer.instantiateVariableFont(font, {"wght": weight}, inplace=True, static=True)
            font.save(target)
    return target


@functools.cache
def _fallback_fonts() -> dict[str, frozenset[int]]:
    """The fallback fonts, in the order they are tried, with the characters each one has."""
    names = sorted(
        path.name.removesuffix("[wght].ttf")
        for path in FONT_DIR.glob("Noto*[[]wght].ttf")
        if not path.name.startswith((f"{FONT}[", f"{FONT}-"))
    )
    names = [name for name in names if name not in FALLBACK_FONTS_LAST] + [
        name for name in FALLBACK_FONTS_LAST if name in names
    ]
    return {
        name: frozenset(TTFont(FONT_DIR / f"{name}[wght].ttf", lazy=True).getBestCmap())
        for name in names
    }


def date_id(day: date) -> str:
    """A date the Indonesian way: 17 Agustus 2025."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def jp_id(jp: Decimal) -> str:
    """Learning hours the Indonesian way: 20 JP, 2,5 JP."""
    return f"{format(Decimal(jp).normalize(), 'f').replace('.', ',')} {JP_UNIT}"


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
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_font(FONT, "", _font_file(FONT, REGULAR_WEIGHT))
        self.add_font(FONT, "B", _font_file(FONT, BOLD_WEIGHT))
        self.add_font(FONT, "I", _font_file(FONT_ITALIC_FILE, REGULAR_WEIGHT))

    def cell(self, w=None, h=None, text="", *args, **kwargs):
        self._shape_when_needed(text)
        return super().cell(w, h, text, *args, **kwargs)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        self._shape_when_needed(text)
        return super().multi_cell(w, h, text, *args, **kwargs)

    def _shape_when_needed(self, text: str) -> None:
        # HarfBuzz shapes only text that Noto Sans cannot print alone (Arabic, Thai, emoji):
        # it would also split some Latin letters (ị into i and a dot), and fpdf2 gives the
        # extra glyph no character in the text layer, so "Thị" would copy as "Thi" + junk.
        cmap = self.fonts[FONT.lower()].cmap
        self.set_text_shaping(any(c.isprintable() and ord(c) not in cmap for c in str(text)))

    def get_fallback_font(self, char: str, style: str = "") -> str | None:
        """The first fallback font that has `char`, in the weight asked for; it is added to
        the document on first use, so the PDF embeds only the fonts it prints with."""
        style = "B" if "B" in style else ""
        name = next((name for name, chars in _fallback_fonts().items() if ord(char) in chars), None)
        if name is None:
            return None
        fontkey = f"{name.lower()}{style}"
        if fontkey not in self.fonts:
            weight = BOLD_WEIGHT if style else REGULAR_WEIGHT
            self.add_font(name, style, _font_file(name, weight))
            # fpdf2 treats the fonts of this list as fallbacks when it lays out a line.
            self.set_fallback_fonts(
                [
                    key
                    for key in _fallback_fonts()
                    if {key.lower(), f"{key.lower()}B"} & set(self.fonts)
                ],
                exact_match=False,
            )
        return fontkey

    def centered(self, text: str, *, size: float, style: str = "", height: float | None = None):
        self.set_font(FONT, style, size)
        self.set_x(MARGIN)
        self.multi_cell(
            TEXT_WIDTH,
            height or size * 0.5,
            text,
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def certificate_pdf_render(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF, with a QR code pointing to `verify_url`."""
    pdf = _CertificatePDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(f"{TITLE.title()} {certificate.serial or ''}".strip())
    pdf.set_author(certificate.provider_name)
    pdf.set_subject(certificate.course_title)
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
        pdf.set_font(FONT, "", 11)
        pdf.cell(value_x - label_x, 6, label)
        pdf.cell(4, 6, ":")
        pdf.multi_cell(
            PAGE_WIDTH - MARGIN - value_x - 4,
            6,
            value,
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
    if certificate.pass_band:
        # The post-test's band (predikat), frozen at issue: e.g. "dengan predikat Sangat Baik".
        pdf.ln(1)
        pdf.centered(f"{PREDICATE_LABEL} {certificate.pass_band}", size=12, style="B", height=6)
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
    pdf.set_font(FONT, "", 7)
    pdf.multi_cell(110, 3.2, SCAN_TO_VERIFY, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(MARGIN)
    pdf.multi_cell(
        110,
        3.2,
        verify_url,
        align=Align.L,
        link=verify_url,
        wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    block_x, block_width = 180, PAGE_WIDTH - MARGIN - 180
    issued_on = timezone.localtime(certificate.issued_at).date()
    pdf.set_xy(block_x, bottom)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        block_width,
        5,
        f"{ISSUED_ON_LABEL} {date_id(issued_on)}",
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_x(block_x)
    pdf.multi_cell(
        block_width,
        5,
        certificate.signatory_title or certificate.provider_name,
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if certificate.signatory_name:
        # Room for a wet or electronic signature.
        pdf.set_xy(block_x, max(pdf.get_y() + 16, bottom + 26))
        pdf.set_font(FONT, "BU", 11)
        pdf.multi_cell(
            block_width,
            5.5,
            certificate.signatory_name,
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if certificate.signatory_nip:
            pdf.set_x(block_x)
            pdf.set_font(FONT, "", 10)
            pdf.cell(
                block_width,
                5,
                f"{NIP_LABEL}. {nip_format(certificate.signatory_nip)}",
                align=Align.C,
            )
    return bytes(pdf.output())

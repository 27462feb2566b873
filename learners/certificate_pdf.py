"""The certificate document: an A4 landscape PDF drawn from the certificate's frozen fields,
stored once by `learners.certificates.certificate_pdf_store` (run by the task queued at issue).

The stored PDF is always in Bahasa Indonesia, whatever the interface language of the person who
asked for it: it is the official document. Everything printed comes from the snapshot taken at
issue time, never from the live user or course, so a certificate reads the same forever. The QR
code points to the public verification page, as government e-documents do.

A learner reading Lentera in English may also download a translation of it, drawn by the same
code on request and never stored: its wording and dates in English (the labels below are
translatable, and their Indonesian translations are the official wording), the course's English
title above the official one, and a line saying which official certificate it translates.
"""

import atexit
import contextlib
import functools
import io
import os
import shutil
import stat
import tempfile
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import fontTools
import manimgx_fonts
import segno
from django.utils import dateformat, timezone, translation
from django.utils.translation import pgettext_lazy
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from learners.models import Certificate
from learners.nip import nip_format

# Printed wording. The official PDF is drawn in Bahasa Indonesia (`OFFICIAL_LANGUAGE`): these
# labels' Indonesian translations (locale/id) are its wording, word for word; a translation of the
# certificate prints them in its own language.
OFFICIAL_LANGUAGE = "id-id"
TITLE = pgettext_lazy("certificate", "CERTIFICATE")
NUMBER_LABEL = pgettext_lazy("certificate", "Number")
AWARDED_TO = pgettext_lazy("certificate", "awarded to")
NIP_LABEL = pgettext_lazy("certificate", "NIP")
AGENCY_LABEL = pgettext_lazy("certificate", "Agency")
POSITION_LABEL = pgettext_lazy("certificate", "Position")
RANK_GRADE_LABEL = pgettext_lazy("certificate", "Rank/Grade")
COMPLETED = pgettext_lazy("certificate", "has completed")
JP_UNIT = "JP"  # jam pelajaran, the civil service's learning hours: the same word in English
WORKLOAD_ON = pgettext_lazy("certificate", "with a learning load of %(jp)s, on %(date)s")
WORKLOAD_FROM_TO = pgettext_lazy(
    "certificate", "with a learning load of %(jp)s, from %(start)s to %(end)s"
)
PREDICATE = pgettext_lazy("certificate", "with the grade %(band)s")
COMPETENCIES_LABEL = pgettext_lazy("certificate", "Competencies")
COMPETENCY_LEVEL_LABEL = pgettext_lazy("certificate", "level")
VALID_UNTIL = pgettext_lazy("certificate", "Valid until %(date)s")
ISSUED_ON = pgettext_lazy("certificate", "Issued on %(date)s")
SCAN_TO_VERIFY = pgettext_lazy(
    "certificate", "Scan the QR code to check that this certificate is genuine:"
)
# Printed on a translation only.
TRANSLATION_OF = pgettext_lazy(
    "certificate",
    "Translation of the official certificate in Bahasa Indonesia number %(serial)s. "
    "Only the official certificate is authoritative.",
)
OFFICIAL_TITLE = pgettext_lazy("certificate", "Official title: %(title)s")
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


def _private_directory(path: Path) -> bool:
    """Whether `path` is a real directory only this user may write to (nobody else can swap a
    font in)."""
    try:
        status = path.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _font_cache() -> Path:
    """The folder of static font instances, shared by this user's processes (each worker, and
    each process of the test suite, would otherwise spend ~2.5 s of CPU making the bold again);
    a folder private to this process where the shared one cannot be trusted."""
    global _font_cache_dir
    if _font_cache_dir is not None and _font_cache_dir.is_dir():
        return _font_cache_dir
    shared = Path(tempfile.gettempdir()) / f"lentera-fonts-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        shared.mkdir(mode=0o700)
    if _private_directory(shared):
        _font_cache_dir = shared
    else:
        _font_cache_dir = Path(tempfile.mkdtemp(prefix="lentera-fonts-"))
        atexit.register(shutil.rmtree, _font_cache_dir, ignore_errors=True)
    return _font_cache_dir


def _font_file(name: str, weight: int) -> Path:
    """The font file `name` at `weight`: the variable font itself at its default weight,
    otherwise a static instance made once (fpdf2 would make one per PDF, over a second each,
    and HarfBuzz would then space bold glyphs with the regular widths). The instance's name
    carries the source's size and time and fontTools' version, so an upgraded font or
    instancer makes a new one; it is written under another name and renamed into place, so a
    process never reads another's half-written file."""
    source = FONT_DIR / f"{name}[wght].ttf"
    lightest, default, boldest = _weight_axis(name)
    weight = round(min(max(weight, lightest), boldest))
    if weight == default:
        return source
    status = source.stat()
    key = f"{status.st_size}-{status.st_mtime_ns}-{fontTools.version}"
    with _font_lock:
        target = _font_cache() / f"{name}-{weight}-{key}.ttf"
        if not target.exists():
            font = TTFont(source)
            instancer.instantiateVariableFont(font, {"wght": weight}, inplace=True, static=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")
            font.save(partial)
            partial.replace(target)
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


def _in_official_language() -> bool:
    language = translation.get_language() or OFFICIAL_LANGUAGE
    return language.split("-")[0] == OFFICIAL_LANGUAGE.split("-")[0]


def date_text(day: date) -> str:
    """A date in the active language: the Indonesian way on the official certificate (17
    Agustus 2025), Django's day-month-year in that of a translation (17 August 2025)."""
    return date_id(day) if _in_official_language() else dateformat.format(day, "j F Y")


def jp_text(jp: Decimal) -> str:
    """Learning hours in the active language: 2,5 JP in Indonesian, 2.5 JP in English."""
    if _in_official_language():
        return jp_id(jp)
    return f"{format(Decimal(jp).normalize(), 'f')} {JP_UNIT}"


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    # No quiet zone in the image: the white page around it is the quiet zone.
    segno.make_qr(url, error="m").save(buffer, kind="png", scale=10, border=0)
    buffer.seek(0)
    return buffer


def _competencies_text(competencies: list[dict]) -> str:
    level_label = str(COMPETENCY_LEVEL_LABEL)
    items = [
        f"{item.get('name', '')} ({level_label} {item['level']})"
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


def certificate_pdf_render(
    certificate: Certificate,
    *,
    verify_url: str,
    language: str | None = None,
    course_title_translated: str = "",
) -> bytes:
    """The certificate as an A4 landscape PDF, with a QR code pointing to `verify_url`.

    Without `language`, the official document in Bahasa Indonesia (the one stored). With
    another language, its translation: the wording and dates in that language, the course's
    title in it (`course_title_translated`, when the course is translated) above the official
    one, and a line naming the official certificate it translates."""
    official = language is None or language.split("-")[0] == OFFICIAL_LANGUAGE.split("-")[0]
    with translation.override(OFFICIAL_LANGUAGE if official else language):
        return _render(
            certificate,
            verify_url=verify_url,
            translated=not official,
            course_title_translated="" if official else course_title_translated,
        )


def _render(
    certificate: Certificate, *, verify_url: str, translated: bool, course_title_translated: str
) -> bytes:
    pdf = _CertificatePDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(f"{str(TITLE).title()} {certificate.serial or ''}".strip())
    pdf.set_author(certificate.provider_name)
    pdf.set_subject(course_title_translated or certificate.course_title)
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
    pdf.cell(0, 14, str(TITLE), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.centered(f"{NUMBER_LABEL}: {certificate.serial or ''}", size=11, height=6)
    if translated:
        pdf.centered(
            str(TRANSLATION_OF % {"serial": certificate.serial or certificate.code}),
            size=8,
            style="I",
            height=4,
        )
        pdf.ln(1)
    else:
        pdf.ln(3)
    pdf.centered(str(AWARDED_TO), size=12, style="I", height=6)
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
        pdf.cell(value_x - label_x, 6, str(label))
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

    pdf.centered(str(COMPLETED), size=12, style="I", height=6)
    pdf.ln(1)
    pdf.centered(course_title_translated or certificate.course_title, size=16, style="B", height=8)
    if course_title_translated:
        # The title the certificate was issued with, as the official document prints it.
        pdf.centered(
            str(OFFICIAL_TITLE % {"title": certificate.course_title}), size=9, style="I", height=5
        )
    pdf.ln(1)
    jp = jp_text(certificate.jp)
    workload = (
        WORKLOAD_FROM_TO
        % {
            "jp": jp,
            "start": date_text(certificate.started_on),
            "end": date_text(certificate.completed_on),
        }
        if certificate.started_on != certificate.completed_on
        else WORKLOAD_ON % {"jp": jp, "date": date_text(certificate.completed_on)}
    )
    mode = f" ({certificate.learning_mode})" if certificate.learning_mode else ""
    pdf.centered(f"{workload}{mode}", size=11, height=6)
    if certificate.pass_band:
        # The post-test's band (predikat), frozen at issue: e.g. "dengan predikat Sangat Baik".
        pdf.ln(1)
        pdf.centered(str(PREDICATE % {"band": certificate.pass_band}), size=12, style="B", height=6)
    if certificate.competencies:
        pdf.centered(
            f"{COMPETENCIES_LABEL}: {_competencies_text(certificate.competencies)}",
            size=9,
            height=4.5,
        )
    if certificate.valid_until:
        pdf.centered(
            str(VALID_UNTIL % {"date": date_text(certificate.valid_until)}), size=10, height=6
        )

    # The QR code (bottom left) and the signatory (bottom right), below whatever came above.
    bottom = min(max(pdf.get_y() + 5, 140), PAGE_HEIGHT - 16 - QR_SIZE - 12)
    pdf.image(
        _qr_png(verify_url),
        x=MARGIN,
        y=bottom,
        w=QR_SIZE,
        h=QR_SIZE,
        alt_text=str(SCAN_TO_VERIFY),
    )
    pdf.set_xy(MARGIN, bottom + QR_SIZE + 1.5)
    pdf.set_font(FONT, "", 7)
    pdf.multi_cell(
        110, 3.2, str(SCAN_TO_VERIFY), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
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
        str(ISSUED_ON % {"date": date_text(issued_on)}),
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

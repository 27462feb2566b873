"""Report exports: CSV streamed row by row, and XLSX written by openpyxl in write-only mode.

Cells are neutralised against spreadsheet formula injection: text that starts like a formula
(`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, as OWASP advises,
since report cells can carry names typed by other people (units, competencies, courses).

The CSVs are meant for Excel, which most agencies open them with: they start with a UTF-8 byte
order mark, and long numbers written as text (NIPs) stay text (see `csv_cell`).
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Without a byte order mark Excel reads a CSV in the computer's ANSI code page, and a name
# like Nguyễn or Żółć comes out garbled.
CSV_BOM = "\ufeff"
# Digits a spreadsheet would change if it read them as a number: 12 digits or more (an 18-digit
# NIP shows as 1.98609E+17 and keeps 15 significant digits: its last three become zeros), or a
# leading zero (which it drops).
_DIGITS_KEPT_AS_TEXT = re.compile(r"\d{12,}|0\d+")


def safe_cell(value):
    """A value a spreadsheet shows as typed, never evaluates."""
    if value is None:
        return None
    if isinstance(value, datetime):
        # Local time, without a zone: spreadsheets cannot store one.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | Decimal | date):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def human_number(value, places: int = 1) -> int | float | None:
    """A measured value as people read it: rounded half up to `places` decimals, a whole
    number without them (83.3, 100), never the database's 83.3300000000000."""
    if value is None:
        return None
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def sheet_title(title) -> str:
    """A valid sheet name from any text (a cohort's name): Excel refuses []:*?/\\ in sheet
    names, a leading or trailing apostrophe and more than 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", str(title)).strip("' ")[:31].strip("' ")
    return cleaned or "Sheet"


def csv_cell(value) -> str:
    """A CSV field that Excel and LibreOffice show as typed.

    Text made of digits that a spreadsheet would mangle as a number (a NIP) is written as the
    formula `="198609262015052001"`, which yields that very text. A CSV has no cell types, so
    the alternatives fail: a leading apostrophe is shown in the cell (it marks text only when
    typed), and a leading tab or space is either shown or ignored. Excel, LibreOffice (its
    default CSV import evaluates formulas) and Google Sheets all read the formula as text; the
    quotes hold digits only, so it can compute nothing else, and every other cell goes through
    the injection guard of `safe_cell`.
    """
    cell = safe_cell(value)
    if cell is None:
        return ""
    if isinstance(cell, str) and _DIGITS_KEPT_AS_TEXT.fullmatch(cell):
        return f'="{cell}"'
    return cell


def csv_cell_text(field: str) -> str:
    """What a spreadsheet shows for a field written by `csv_cell` (its text form undone), for
    reading back an exported file."""
    if field.startswith('="') and field.endswith('"') and field[2:-1].isdigit():
        return field[2:-1]
    return field


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """A CSV download for Excel (UTF-8 with a byte order mark, NIPs kept as text), produced
    while it is sent, whatever its length."""
    writer = csv.writer(_Echo())

    def lines():
        yield CSV_BOM + writer.writerow([str(title) for title in header])
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(
    *, filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]
) -> HttpResponse:
    """An XLSX workbook with one sheet per (title, header, rows), written row by row."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title(title))
        sheet.append([str(heading) for heading in header])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)

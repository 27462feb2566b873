"""Report exports: CSV streamed row by row, and XLSX written by openpyxl in write-only mode.

Cells are neutralised against spreadsheet formula injection: text that starts like a formula
(`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, as OWASP advises,
since report cells can carry names typed by other people (units, competencies, courses).
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def sheet_title(title) -> str:
    """A valid sheet name from any text (a cohort's name): Excel refuses []:*?/\\ in sheet
    names, a leading or trailing apostrophe and more than 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", str(title)).strip("' ")[:31].strip("' ")
    return cleaned or "Sheet"


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
    """A CSV download produced while it is sent, whatever its length."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([str(title) for title in header])
        for row in rows:
            yield writer.writerow(["" if (cell := safe_cell(v)) is None else cell for v in row])

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

"""Reading uploaded tables (CSV and XLSX) without trusting them: any encoding a spreadsheet
program saves, bounded work whatever the file claims, and a message in the user's language
(`TableFileError`) for anything that cannot be read, never a server error.

Bounds: a cell of at most `MAX_CELL_CHARS` characters (a 200 kB field was a csv.Error); an XLSX
whose parts expand to at most `LENTERA_IMPORT_MAX_UNCOMPRESSED_BYTES` (sizes from the zip's
central directory, checked before parsing: a 413 kB file expanding to gigabytes held a worker
for 11 s and 1 GB), read in openpyxl's streaming mode and only up to the row limit.
"""

import codecs
import csv
import io
import re
import zipfile
import zlib
from decimal import Decimal
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.translation import gettext as _

MAX_CELL_CHARS = 1000
#: Columns read from each row of a workbook: the lists Lentera imports have a few.
MAX_COLUMNS = 50

#: Byte-order marks, longest first (UTF-32's starts like UTF-16's).
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


class TableFileError(Exception):
    """The file as a whole cannot be used; the message says why, in the user's language."""


def csv_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 or UTF-16/32 by their byte-order mark (Excel's "Unicode
    text" is UTF-16), UTF-8 without one, else the Windows ANSI code page that spreadsheet
    programs use there."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise TableFileError(_unreadable_encoding()) from error
    if b"\x00" in data[:4096]:
        # UTF-16 without its mark: decoding it as ANSI gave a garbled message.
        raise TableFileError(_unreadable_encoding())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unreadable_encoding() -> str:
    return _(
        "The file's text encoding could not be read. Save it as CSV in UTF-8 (in Excel: "
        '"CSV UTF-8"), UTF-16 or Windows ANSI.'
    )


def _cells_checked(rows, *, max_data_rows: int):
    """Rows as lists of text, refusing an overlong cell, and a file with more than
    `max_data_rows` non-blank rows under its first (the header) as soon as it shows: reading
    stops there. Blank rows are kept, so that row numbers match the spreadsheet's."""
    data_rows = 0
    for number, values in enumerate(rows, start=1):
        if number > 1 and any(value.strip() for value in values):
            data_rows += 1
            if data_rows > max_data_rows:
                raise TableFileError(
                    _("The file has more than %(max)s rows: split it into smaller files.")
                    % {"max": max_data_rows}
                )
        for value in values:
            if len(value) > MAX_CELL_CHARS:
                raise TableFileError(_overlong_cell(number))
        yield values


def _overlong_cell(row: int) -> str:
    return _("Row %(row)s has a cell longer than %(max)s characters.") % {
        "row": row,
        "max": MAX_CELL_CHARS,
    }


# Lentera's CSV exports write NIPs as ="198609262015051001" so that Excel keeps every digit
# (core.exports.csv_cell): a file exported here and uploaded again reads as Excel shows it.
_TEXT_FORMULA = re.compile(r'="(\d+)"')


def _as_shown(value: str) -> str:
    match = _TEXT_FORMULA.fullmatch(value)
    return match[1] if match else value


def csv_table(text: str, *, max_data_rows: int, delimiter: str | None = None) -> list[list[str]]:
    """The rows of a CSV text (at most `max_data_rows` under the header). The delimiter,
    unless given, is whichever of comma, semicolon and tab the first line uses most
    (Indonesian spreadsheet settings use the semicolon, as the comma is the decimal mark)."""
    if delimiter is None:
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = ([_as_shown(value) for value in values] for values in reader)
    try:
        return list(_cells_checked(rows, max_data_rows=max_data_rows))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # The csv module's own limit (131,072 characters) comes before ours.
            raise TableFileError(_overlong_cell(reader.line_num)) from error
        raise TableFileError(
            _("Row %(row)s could not be read as CSV: check its quotes and cell lengths.")
            % {"row": reader.line_num}
        ) from error


#: Starts a cell that was a number too long for the spreadsheet to keep (an 18-digit NIP typed
#: into a number cell): the digits it shows follow, so people see what they typed, and an
#: importer can tell them to format the column as text.
IMPRECISE_NUMBER = "#float:"


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:.0f}"
        # Spreadsheets keep 15 significant digits: 198609262015051001 is stored and shown as
        # 198609262015051000. Those digits, not the binary float's 198609262015050999.9...
        return IMPRECISE_NUMBER + format(Decimal(f"{value:.15g}"), "f")
    return str(value).strip()


def xlsx_table(data: bytes, *, max_data_rows: int) -> list[list[str]]:
    """The rows of the first sheet of an Excel workbook as text (at most `max_data_rows`
    under the header)."""
    from openpyxl import load_workbook

    unreadable = _("This file could not be read as an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise TableFileError(unreadable) from error
    limit = settings.LENTERA_IMPORT_MAX_UNCOMPRESSED_BYTES
    if expanded > limit:
        raise TableFileError(
            _(
                "This workbook holds more data than an import may (%(size)s MB once unpacked): "
                "keep only the list of learners, or save it as CSV."
            )
            % {"size": limit // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = (
                [_xlsx_cell(value) for value in values]
                for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            )
            return list(_cells_checked(rows, max_data_rows=max_data_rows))
        finally:
            workbook.close()
    except TableFileError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        OSError,
        ParseError,
    ) as error:
        # A truncated or malformed workbook fails in the zip, the inflater or the XML parser.
        raise TableFileError(unreadable) from error


def table_read(*, name: str, data: bytes, max_data_rows: int) -> list[list[str]]:
    """The rows of an uploaded .csv or .xlsx file (by its name), header included, with at
    most `max_data_rows` non-blank rows under the header."""
    if len(data) > settings.LENTERA_IMPORT_MAX_BYTES:
        raise TableFileError(
            _("The file is too large: at most %(size)s MB.")
            % {"size": settings.LENTERA_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return csv_table(csv_text(data), max_data_rows=max_data_rows)
    if lowered.endswith(".xlsx"):
        return xlsx_table(data, max_data_rows=max_data_rows)
    raise TableFileError(_("Upload a .csv or .xlsx file."))

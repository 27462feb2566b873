"""Reading uploaded tables: encodings by their byte-order mark, overlong cells, truncated and
oversized workbooks, row limits; every failure a TableFileError with a message, never a crash."""

import io
import time
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from core.exports import csv_response
from learners import tabular
from learners.tabular import TableFileError, csv_text, table_read

CSV = "nip;email\n198609262015051001;budi@instansi.go.id\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_csv_in_unicode_encodings_is_read_by_its_byte_order_mark(encoding):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    data = bom + CSV.encode(encoding)
    assert table_read(name="a.csv", data=data, max_data_rows=10) == [
        ["nip", "email"],
        ["198609262015051001", "budi@instansi.go.id"],
    ]


def test_csv_in_windows_ansi_is_still_read():
    assert csv_text("nama\nSekretariat Daerah – Bagian Umum\n".encode("cp1252")).endswith(
        "Sekretariat Daerah – Bagian Umum\n"
    )


def test_utf16_without_its_mark_says_which_encodings_are_accepted():
    with pytest.raises(TableFileError, match="UTF-8.*UTF-16"):
        csv_text(CSV.encode("utf-16-le"))


def test_a_200_kb_field_is_a_clear_error():
    data = ("nip;email\n" + "x" * 200_000 + ";a@b.id\n").encode()
    with pytest.raises(TableFileError, match="Row 2 has a cell longer than 1000 characters"):
        table_read(name="a.csv", data=data, max_data_rows=10)
    quoted = ('nip;email\n"' + "x" * 200_000 + "\n").encode()  # an unclosed quote
    with pytest.raises(TableFileError):
        table_read(name="a.csv", data=quoted, max_data_rows=10)


def test_too_many_rows_stop_the_reading_with_a_message():
    data = ("nip\n" + "198609262015051001\n\n" * 20).encode()
    with pytest.raises(TableFileError, match="more than 5 rows"):
        table_read(name="a.csv", data=data, max_data_rows=5)
    rows = [["nip"]] + [["198609262015051001"]] * 20
    with pytest.raises(TableFileError, match="more than 5 rows"):
        table_read(name="a.xlsx", data=_xlsx(rows), max_data_rows=5)
    # Blank rows do not count, and keep their place (row numbers match the spreadsheet).
    assert len(table_read(name="a.csv", data=data, max_data_rows=20)) == 41


@pytest.mark.parametrize("cut", [100, 1000, -200, -20])
def test_a_truncated_workbook_is_a_clear_error(cut):
    data = _xlsx([["nip"], ["198609262015051001"]])
    with pytest.raises(TableFileError, match="could not be read as an Excel workbook"):
        table_read(name="a.xlsx", data=data[:cut], max_data_rows=10)


def test_a_workbook_expanding_beyond_the_limit_is_refused_before_parsing(settings, monkeypatch):
    settings.LENTERA_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    buffer = io.BytesIO(_xlsx([["nip"], ["198609262015051001"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/padding.xml", b" " * (8 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100_000  # small on disk, 8 MB unpacked

    def parse(*args, **kwargs):  # pragma: no cover - must never run
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("openpyxl.load_workbook", parse)
    started = time.thread_time()
    with pytest.raises(TableFileError, match="more data than an import may"):
        table_read(name="a.xlsx", data=data, max_data_rows=10)
    assert time.thread_time() - started < 1  # CPU seconds: a runaway loop, not a busy machine


def test_a_workbook_reads_a_bounded_number_of_columns():
    rows = [["nip", *[f"c{n}" for n in range(200)]], ["198609262015051001", *range(200)]]
    table = table_read(name="a.xlsx", data=_xlsx(rows), max_data_rows=10)
    assert [len(row) for row in table] == [tabular.MAX_COLUMNS, tabular.MAX_COLUMNS]


def test_other_file_kinds_are_refused():
    with pytest.raises(TableFileError, match="Upload a .csv or .xlsx file"):
        table_read(name="a.xls", data=b"\xd0\xcf\x11\xe0", max_data_rows=10)


def test_a_csv_exported_by_lentera_reads_back_with_its_nips():
    # Exports write NIPs as ="…" so that Excel keeps 18 digits; uploading one again (a cohort
    # export as the next cohort's import) reads them as Excel shows them.
    export = csv_response(
        filename="a.csv", header=["NIP", "E-mail"], rows=[["198609262015051001", "a@b.go.id"]]
    )
    data = b"".join(export.streaming_content)

    assert table_read(name="a.csv", data=data, max_data_rows=10) == [
        ["NIP", "E-mail"],
        ["198609262015051001", "a@b.go.id"],
    ]
    # Only digits in exactly that form: anything else is read as written.
    text = 'nip,note\n="12"&"3",="abc"\n'
    assert table_read(name="a.csv", data=text.encode(), max_data_rows=10)[1] == [
        '="12"&"3"',
        '="abc"',
    ]

"""The shared export helpers: CSVs for Excel (a UTF-8 byte order mark, NIPs kept as text, no
formulas from typed text) and XLSX cells of the right type."""

import codecs
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.exports import csv_cell_text, csv_response, xlsx_response
from tests.utils import csv_download

NIP = "198609262015052001"


def _csv(rows, header=("Name", "NIP", "JP")):
    return csv_response(filename="a.csv", header=list(header), rows=rows)


def test_csv_starts_with_a_byte_order_mark_and_keeps_accents():
    data = b"".join(_csv([["Nguyễn Thị Żółć", NIP, Decimal("20")]]).streaming_content)

    assert data.startswith(codecs.BOM_UTF8)
    assert data.count(codecs.BOM_UTF8) == 1
    assert "Nguyễn Thị Żółć" in data.decode("utf-8-sig")


def test_csv_writes_nips_and_leading_zeros_as_text_formulas_that_excel_keeps():
    rows = csv_download(
        _csv([["Ani", NIP, 20], ["Budi", "012345", 2025], ["Citra", "123456789", "2025"]]),
        as_shown=False,
    )

    assert rows[0] == ["Name", "NIP", "JP"]
    assert rows[1] == ["Ani", f'="{NIP}"', "20"]
    assert rows[2] == ["Budi", '="012345"', "2025"]
    # Short numbers read back exactly: they stay as they were.
    assert rows[3] == ["Citra", "123456789", "2025"]


def test_csv_text_form_reads_back_as_typed():
    rows = csv_download(_csv([["Ani", NIP, 20], ["Budi", "", None]]))

    assert rows[1:] == [["Ani", NIP, "20"], ["Budi", "", ""]]


def test_csv_still_neutralises_formulas_typed_by_people():
    rows = csv_download(
        _csv([['=HYPERLINK("http://evil.example")', '="1"&"2"', "-2+3"]]), as_shown=False
    )

    assert rows[1] == ['\'=HYPERLINK("http://evil.example")', '\'="1"&"2"', "'-2+3"]
    # Only a field of digits in exactly that form is read back as text.
    assert csv_cell_text(rows[1][1]) == rows[1][1]
    assert csv_cell_text('="12"&"3"') == '="12"&"3"'


def test_csv_parses_with_the_standard_reader_after_the_mark():
    data = b"".join(_csv([["Ani", NIP, date(2025, 12, 31)]]).streaming_content)

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))

    assert rows == [["Name", "NIP", "JP"], ["Ani", f'="{NIP}"', "2025-12-31"]]


def test_xlsx_stores_nips_as_text_cells():
    response = xlsx_response(
        filename="a.xlsx", sheets=[("Staff", ["Name", "NIP", "JP"], [["Ani", NIP, 20]])]
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    nip_cell, jp_cell = sheet["B2"], sheet["C2"]
    assert (nip_cell.value, nip_cell.data_type) == (NIP, "s")
    assert (jp_cell.value, jp_cell.data_type) == (20, "n")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, None),
        (Decimal("83.3300000000000"), 83.3),
        (Decimal("100.000"), 100),
        (66.66666666666667, 66.7),
        (Decimal("12.25"), 12.3),  # half up, as people round
        (0, 0),
    ],
)
def test_human_number_rounds_to_one_decimal_and_drops_it_when_whole(value, shown):
    from core.exports import human_number

    result = human_number(value)
    assert result == shown
    assert type(result) is type(shown)

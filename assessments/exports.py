"""Report exports: CSV streamed row by row, and XLSX written by openpyxl in write-only mode.

Cells are neutralised against spreadsheet formula injection: text that starts like a formula
(`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, as OWASP advises,
since report cells can carry names typed by other people (units, competencies, courses).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
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
        sheet = workbook.create_sheet(title=str(title)[:31])  # Excel's limit on sheet names
        sheet.append([str(heading) for heading in header])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)


# The reports' tables, shared by the admin and the front-end pages.


def programme_table(rows, *, year: int) -> tuple[list[str], list[list]]:
    """The programme evaluation report (per course, for one year) as header and rows."""
    from assessments.evaluation_selectors import score_labels

    labels = score_labels()
    header = [
        _("Course"),
        _("Provider"),
        _("Year"),
        _("Enrollments"),
        _("Completions"),
        _("Completion rate (%)"),
        _("Median days to complete"),
        _("JP delivered"),
        _("L1 responses"),
        *[_("L1 %(question)s") % {"question": label} for label in labels.values()],
        _("L1 overall"),
        _("L2 learners with pre- and post-test"),
        _("L2 average gain (points)"),
        _("L2 post-test pass rate (%)"),
        _("L3 supervisor answers"),
        _("L3 average"),
    ]
    table = [
        [
            row.title,
            row.provider,
            year,
            row.enrollments,
            row.completions,
            row.completion_rate,
            row.median_days,
            row.jp_delivered,
            row.l1_responses,
            *[row.l1_scores.get(name) for name in labels],
            row.l1_overall,
            row.l2_learners,
            row.l2_average_gain,
            row.l2_pass_rate,
            row.l3_answered,
            row.l3_average,
        ]
        for row in rows
    ]
    return header, table


def needs_tables(report) -> list[tuple[str, list[str], list[list]]]:
    """The needs report's sheets: per competency, per organization, public signal per unit."""
    per_competency = (
        _("Per competency"),
        [
            _("Code"),
            _("Competency"),
            _("Target level"),
            _("Endorsed needs"),
            _("Of which high priority"),
            _("Awaiting endorsement"),
            _("Courses at or above the level"),
            _("Public signal (responses)"),
            _("Gap"),
            _("Courses"),
        ],
        [
            [
                row.code,
                row.name,
                row.target_level,
                row.demand,
                row.high_priority,
                row.awaiting,
                row.supply,
                row.public_signal,
                _("yes") if row.is_gap else _("no"),
                "; ".join(row.supply_titles),
            ]
            for row in report.rows
        ],
    )
    per_organization = (
        _("Per organization"),
        [_("Organization"), _("Code"), _("Competency"), _("Target level"), _("Endorsed needs")],
        [
            [item.organization, item.code, item.name, item.target_level, item.demand]
            for item in report.by_organization
        ],
    )
    public_signal = (
        _("Public signal"),
        [
            _("Organization"),
            _("Service unit"),
            _("Responses"),
            _("Average rating"),
            _("Code"),
            _("Competency"),
            _("Responses pointing to it"),
        ],
        [
            [unit.organization, unit.unit, unit.responses, unit.average_rating, code, name, count]
            for unit in report.units
            for code, name, count in (unit.competencies or [("", "", None)])
        ],
    )
    return [per_competency, per_organization, public_signal]

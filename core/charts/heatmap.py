"""Heatmaps: rows of cells coloured in HEAT_BUCKETS intensity classes, with their legend."""

import math

from django.utils.translation import gettext as _

from core.charts.base import (
    CELL_GAP,
    CELL_HEIGHT,
    CELL_WIDTH,
    CHAR_WIDTH,
    FONT_SIZE,
    HEAT_BUCKETS,
    MAX_ROW_LABEL_CHARS,
    Chart,
    HeatCell,
    HeatRow,
    LegendItem,
    Number,
    Table,
    TableGroup,
    TableRow,
    Tick,
    _display,
    _is_whole,
    _shorten,
    _tidy,
)


def heat_bucket(value: Number | None, max_value: Number = 100) -> int | None:
    """The intensity class of a heatmap value: 5 equal ranges of 0..max_value.

    With max_value 100: 0-19 -> 0, 20-39 -> 1, 40-59 -> 2, 60-79 -> 3, 80-100 -> 4. Values
    outside the range go to the nearest end; None (no data) stays None."""
    if value is None:
        return None
    if not max_value or max_value <= 0:
        return HEAT_BUCKETS - 1 if value > 0 else 0
    if isinstance(value, int) and isinstance(max_value, int):
        bucket = (value * HEAT_BUCKETS) // max_value  # exact for whole numbers
    else:
        bucket = math.floor(value * HEAT_BUCKETS / max_value)
    return min(max(bucket, 0), HEAT_BUCKETS - 1)


def _legend(max_value: Number, integer: bool) -> list[LegendItem]:
    items = []
    for bucket in range(HEAT_BUCKETS):
        if integer:
            low = -(-bucket * max_value // HEAT_BUCKETS)  # ceil
            if bucket == HEAT_BUCKETS - 1:
                high = max_value
            else:
                high = -(-(bucket + 1) * max_value // HEAT_BUCKETS) - 1
            if low > high:
                continue  # no whole number falls in this range
        else:
            low = _tidy(bucket * max_value / HEAT_BUCKETS)
            high = _tidy((bucket + 1) * max_value / HEAT_BUCKETS)
        items.append(LegendItem(bucket=bucket, low=low, high=high))
    return items


def heatmap(
    *,
    title: str,
    description: str,
    rows: list[tuple[str, list[tuple[str, Number | None]]]],
    value_label: str,
    max_value: Number = 100,
    cell_header: str | None = None,
) -> Chart:
    """Rows of cells (e.g. modules of lessons) coloured by value in 5 buckets of 0..max_value,
    each cell showing its number (a dash for None, no data). Rows may differ in length; the
    columns are numbered 1, 2, 3... and each cell's label is its tooltip and its table row.
    `cell_header` heads the table's first column (default "Item")."""
    rows = [(str(label), [(str(c), v) for c, v in cells]) for label, cells in rows]
    values = [value for _label, cells in rows for _cell, value in cells if value is not None]
    table = Table(
        caption=title,
        header=[cell_header or _("Item"), value_label],
        groups=[
            TableGroup(
                label,
                [
                    TableRow(cell, [None if value is None else _display(value)])
                    for cell, value in cells
                ],
            )
            for label, cells in rows
        ],
    )
    chart = Chart(
        kind="heatmap",
        title=title,
        description=description,
        value_label=value_label,
        table=table,
    )
    if not values:
        chart.empty = True
        return chart

    label_chars = min(MAX_ROW_LABEL_CHARS, max(len(label) for label, _cells in rows))
    left = max(40, label_chars * CHAR_WIDTH + 8)
    top = 20
    pitch_x, pitch_y = CELL_WIDTH + CELL_GAP, CELL_HEIGHT + CELL_GAP
    column_count = max(len(cells) for _label, cells in rows)
    chart.width = left + column_count * pitch_x
    chart.height = top + len(rows) * pitch_y
    chart.columns = [
        Tick(
            label=index + 1,
            pos=left + index * pitch_x + CELL_WIDTH / 2,
            text_x=_tidy(left + index * pitch_x + CELL_WIDTH / 2),
            text_y=top - 6,
        )
        for index in range(column_count)
    ]
    for row_index, (label, cells) in enumerate(rows):
        y = top + row_index * pitch_y
        text_y = _tidy(y + CELL_HEIGHT / 2 + FONT_SIZE / 3)
        chart.heat_rows.append(
            HeatRow(
                label=label,
                short=_shorten(label, MAX_ROW_LABEL_CHARS),
                text_x=left - 6,
                text_y=text_y,
                cells=[
                    HeatCell(
                        label=cell,
                        value=None if value is None else _display(value),
                        bucket=heat_bucket(value, max_value),
                        x=left + index * pitch_x,
                        y=y,
                        width=CELL_WIDTH,
                        height=CELL_HEIGHT,
                        text_x=_tidy(left + index * pitch_x + CELL_WIDTH / 2),
                        text_y=text_y,
                    )
                    for index, (cell, value) in enumerate(cells)
                ],
            )
        )
    if max_value and max_value > 0:
        integer = _is_whole(max_value) and all(_is_whole(value) for value in values)
        chart.legend = _legend(int(max_value) if integer else max_value, integer)
    if len(values) < sum(len(cells) for _label, cells in rows):
        chart.legend.append(LegendItem(bucket=None))
    return chart

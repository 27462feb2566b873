"""Server-rendered, accessible SVG charts: bars, bars over time and heatmaps. No JavaScript.

Python lays a chart out (coordinates, axis ticks, colour buckets and the same data as a table);
the template components/chart.html draws it as an <svg role="img"> with a <title> and a <desc>,
followed by the data table in a <details>:

    {% include "components/chart.html" with chart=chart %}

Labels (lesson titles, module titles) may come from users: they stay plain strings here and
the template escapes them. Colours come from CSS classes (lentera.css, "Charts"), never from
style attributes, so a Content-Security-Policy without 'unsafe-inline' holds and print or
high-contrast styles can override them. Numbers shown to people are localized by the template;
dates are formatted here with Django's localized formats, so build charts while the request's
language is active (in the view). Coordinates are SVG user units (1 unit = 1 CSS px at natural
size); the SVG scales down with its container.
"""

import itertools
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _

Number = int | float

#: Bar and time charts: the viewBox size (small, so text stays legible on a phone).
WIDTH = 400
HEIGHT = 220
#: Text size (set in lentera.css) and the average glyph width used to fit labels.
FONT_SIZE = 12
CHAR_WIDTH = 7
#: Heatmap cells and their gap; row labels longer than this many characters are shortened.
CELL_WIDTH = 36
CELL_HEIGHT = 26
CELL_GAP = 2
MAX_ROW_LABEL_CHARS = 20
#: Heatmap intensity classes: chart-heat-0 ... chart-heat-4, and chart-heat-none for no data.
HEAT_BUCKETS = 5
#: A time chart longer than this many days shows one bar per week.
MAX_DAILY_BARS = 92
#: How many date labels a time chart shows at most.
MAX_DATE_TICKS = 5

_counter = itertools.count(1)


# Data the template reads --------------------------------------------------------------------


@dataclass(frozen=True)
class Plot:
    """The plotting area of a bar or time chart, and where its text sits."""

    left: Number
    top: Number
    right: Number
    bottom: Number
    #: Baseline of the category labels (bar chart) or date labels (time chart).
    label_y: Number
    #: End of the small tick marks under the x axis.
    tick_end: Number


@dataclass(frozen=True)
class Tick:
    """An axis tick: `label` is a number (y axis, heatmap columns) or a text (dates).

    `pos` is where its line or mark goes (y for the y axis, x for the x axis); the label is
    drawn at (text_x, text_y) with the SVG text-anchor `anchor`."""

    label: Number | str
    pos: Number
    text_x: Number
    text_y: Number
    anchor: str = "middle"


@dataclass(frozen=True)
class Bar:
    label: str  # full label: tooltip and table
    short: str  # label under the bar ("" when there is no room or for time charts)
    value: Number
    x: Number
    y: Number
    width: Number
    height: Number
    cx: Number  # centre, for the labels
    value_y: Number  # baseline of the value written above the bar


@dataclass(frozen=True)
class HeatCell:
    label: str
    value: Number | None
    bucket: int | None  # 0 .. HEAT_BUCKETS - 1, None for no data
    x: Number
    y: Number
    width: Number
    height: Number
    text_x: Number
    text_y: Number

    @property
    def css_class(self) -> str:
        return "chart-heat-none" if self.bucket is None else f"chart-heat-{self.bucket}"


@dataclass(frozen=True)
class HeatRow:
    label: str
    short: str
    text_x: Number
    text_y: Number
    cells: list[HeatCell]


@dataclass(frozen=True)
class LegendItem:
    """A heatmap colour: values from `low` to `high` (both shown; one when equal)."""

    bucket: int | None
    low: Number | None = None
    high: Number | None = None

    @property
    def css_class(self) -> str:
        return "chart-heat-none" if self.bucket is None else f"chart-heat-{self.bucket}"


@dataclass(frozen=True)
class TableRow:
    header: str  # <th scope="row">
    cells: list[Number | str | None]  # None: no data


@dataclass(frozen=True)
class TableGroup:
    label: str | None  # a <th scope="rowgroup"> above the rows, e.g. a module
    rows: list[TableRow]


@dataclass(frozen=True)
class Table:
    """The chart's text alternative."""

    caption: str
    header: list[str]
    groups: list[TableGroup]

    @property
    def rows(self) -> list[TableRow]:
        return [row for group in self.groups for row in group.rows]


@dataclass
class Chart:
    kind: str  # "bar", "time" or "heatmap"
    title: str
    description: str
    value_label: str
    table: Table
    width: Number = WIDTH
    height: Number = HEIGHT
    plot: Plot | None = None
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    #: Whether each bar's value is written above it (there is room).
    show_values: bool = False
    columns: list[Tick] = field(default_factory=list)
    heat_rows: list[HeatRow] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    #: Nothing to draw: the template says "No data yet." instead.
    empty: bool = False
    #: Unique on the page (a slug of the title and a counter): the base of the SVG's ids.
    uid: str = ""

    def __post_init__(self):
        if not self.uid:
            slug = slugify(str(self.title))[:40].strip("-") or "chart"
            self.uid = f"chart-{slug}-{next(_counter)}"

    @property
    def title_id(self) -> str:
        return f"{self.uid}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.uid}-desc"

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


# Helpers ------------------------------------------------------------------------------------


def _tidy(value: Number) -> Number:
    """A coordinate or value rounded to one decimal, and an int when whole (shorter markup)."""
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


def _shorten(text: str, max_chars: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    return text[: max(max_chars - 1, 1)].rstrip() + "…"


def _is_whole(value) -> bool:
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def nice_ticks(maximum: Number, *, count: int = 4, integer: bool = True) -> list[Number]:
    """Round tick values from 0 to at least `maximum`, about `count` steps of 1, 2, 2.5 or 5
    times a power of ten: nice_ticks(7) == [0, 2, 4, 6, 8], nice_ticks(100) == [0, 25, ..., 100].

    With `integer`, steps are whole numbers (counts of people). A maximum of 0 or less gives
    [0, 1], so a chart of zeros still has a scale."""
    if not maximum or maximum <= 0 or not math.isfinite(maximum):
        return [0, 1]
    raw = maximum / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        candidate = multiple * magnitude
        if candidate >= raw and (not integer or _is_whole(round(candidate, 10))):
            step = candidate
            break
    if integer:
        step = max(1, round(step))
    steps = math.ceil(round(maximum / step, 10))
    return [_tidy_tick(index * step) for index in range(steps + 1)]


def _tidy_tick(value: float) -> Number:
    value = round(value, 10)
    return int(value) if float(value).is_integer() else value


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


def _number(value) -> Number:
    """A value as a number for the geometry: None and NaN count as 0, negatives as 0."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return 0
    return number if math.isfinite(number) and number > 0 else 0


def _display(value) -> Number:
    return 0 if value is None else _tidy(value) if isinstance(value, float) else value


def _bar_layout(
    items: list[tuple[str, Number]], *, max_value: Number | None, label_room: bool
) -> dict:
    """Bars, y ticks and the plot box for a bar or time chart."""
    values = [_number(value) for _label, value in items]
    integer = all(_is_whole(value) for _label, value in items if value is not None) and (
        max_value is None or _is_whole(max_value)
    )
    data_max = max(values, default=0)
    if max_value is not None and max_value > 0:
        top = max(max_value, data_max)
        ticks = [tick for tick in nice_ticks(top, integer=integer) if tick <= top]
    else:
        ticks = nice_ticks(data_max, integer=integer)
        top = ticks[-1]

    tick_chars = max(len(str(tick)) for tick in ticks)
    left = max(24, tick_chars * CHAR_WIDTH + 10)
    plot = Plot(
        left=left,
        top=34,
        right=WIDTH - 12,
        bottom=HEIGHT - 24,
        label_y=HEIGHT - 8,
        tick_end=HEIGHT - 20,
    )
    plot_height = plot.bottom - plot.top
    scale = plot_height / top if top > 0 else 0
    slot = (plot.right - plot.left) / len(items)
    bar_width = slot * (0.7 if label_room else 0.8)

    value_chars = max(len(str(_display(value))) for _label, value in items)
    label_chars = int((slot - 4) // CHAR_WIDTH)
    bars = []
    for index, ((label, value), number) in enumerate(zip(items, values, strict=True)):
        height = min(number * scale, plot_height)
        cx = plot.left + slot * (index + 0.5)
        bars.append(
            Bar(
                label=label,
                short=_shorten(label, label_chars) if label_room and label_chars >= 3 else "",
                value=_display(value),
                x=_tidy(cx - bar_width / 2),
                y=_tidy(plot.bottom - height),
                width=_tidy(bar_width),
                height=_tidy(height),
                cx=_tidy(cx),
                value_y=_tidy(plot.bottom - height - 4),
            )
        )
    y_ticks = [
        Tick(
            label=tick,
            pos=_tidy(plot.bottom - tick * scale),
            text_x=plot.left - 6,
            text_y=_tidy(plot.bottom - tick * scale + FONT_SIZE / 3),
            anchor="end",
        )
        for tick in ticks
    ]
    return {
        "plot": plot,
        "bars": bars,
        "y_ticks": y_ticks,
        "show_values": slot >= value_chars * CHAR_WIDTH + 8,
    }


# Public API ---------------------------------------------------------------------------------


def bar_chart(
    *,
    title: str,
    description: str,
    bars: list[tuple[str, Number]],
    value_label: str,
    max_value: Number | None = None,
    label_header: str | None = None,
) -> Chart:
    """Vertical bars, one per category, each with its label below and its value above.

    `max_value` fixes the top of the scale (e.g. 100 for percentages); without it the scale
    ends at the round number above the largest value. `label_header` heads the table's first
    column (default "Category")."""
    bars = [(str(label), value) for label, value in bars]
    table = Table(
        caption=title,
        header=[label_header or _("Category"), value_label],
        groups=[TableGroup(None, [TableRow(label, [_display(value)]) for label, value in bars])],
    )
    chart = Chart(
        kind="bar", title=title, description=description, value_label=value_label, table=table
    )
    if not bars:
        chart.empty = True
        return chart
    for key, value in _bar_layout(bars, max_value=max_value, label_room=True).items():
        setattr(chart, key, value)
    return chart


def _week_start(day: date) -> date:
    """The first day of the week holding `day`, by the active language (Monday in Indonesia)."""
    first = int(formats.get_format("FIRST_DAY_OF_WEEK"))  # 0 = Sunday, 1 = Monday
    python_first = (first - 1) % 7  # date.weekday(): 0 = Monday
    return day - timedelta(days=(day.weekday() - python_first) % 7)


def time_chart(
    *,
    title: str,
    description: str,
    points: list[tuple[date, Number]],
    value_label: str,
) -> Chart:
    """A bar per day from the first to the last date, or a bar per week when that is longer
    than MAX_DAILY_BARS days. Days missing from `points` count as 0; values on the same day
    (or week) are added up. A few localized dates label the x axis."""
    totals: dict[date, Number] = {}
    for day, value in points:
        day = day.date() if isinstance(day, datetime) else day
        totals[day] = totals.get(day, 0) + (value or 0)

    weekly = bool(totals) and (max(totals) - min(totals)).days + 1 > MAX_DAILY_BARS
    if weekly:
        weeks: dict[date, Number] = {}
        for day, value in totals.items():
            weeks[_week_start(day)] = weeks.get(_week_start(day), 0) + value
        totals, step = weeks, timedelta(days=7)
    else:
        step = timedelta(days=1)
    slots: list[date] = []
    if totals:
        day, last = min(totals), max(totals)
        while day <= last:
            slots.append(day)
            day += step

    def full_label(day: date) -> str:
        text = formats.date_format(day)
        return _("Week starting %(date)s") % {"date": text} if weekly else text

    items = [(full_label(day), totals.get(day, 0)) for day in slots]
    table = Table(
        caption=title,
        header=[_("Week starting") if weekly else _("Date"), value_label],
        groups=[
            TableGroup(
                None,
                [
                    TableRow(formats.date_format(day), [_display(totals.get(day, 0))])
                    for day in slots
                ],
            )
        ],
    )
    chart = Chart(
        kind="time", title=title, description=description, value_label=value_label, table=table
    )
    if not slots:
        chart.empty = True
        return chart
    for key, value in _bar_layout(items, max_value=None, label_room=False).items():
        setattr(chart, key, value)

    chart.x_ticks = _date_ticks(slots, chart.bars, label_y=chart.plot.label_y, weekly=weekly)
    return chart


def _date_ticks(slots: list[date], bars: list[Bar], *, label_y: Number, weekly: bool) -> list[Tick]:
    """At most MAX_DATE_TICKS date labels that do not overlap: a week apart or more on daily
    charts longer than a few weeks; the year on the first label and where it changes."""
    multi_year = slots[0].year != slots[-1].year
    widest = (
        max(len(formats.date_format(day, "j M Y" if multi_year else "j M")) for day in slots)
        * CHAR_WIDTH
    )
    slot = (bars[-1].cx - bars[0].cx) / (len(bars) - 1) if len(bars) > 1 else WIDTH
    # 1.5 label widths apart: an edge label anchored at its start or end still clears the next.
    every = max(math.ceil(len(slots) / MAX_DATE_TICKS), math.ceil((1.5 * widest + 8) / slot))
    if not weekly and every > 3:
        every = math.ceil(every / 7) * 7
    ticks, year = [], None
    for index in range(0, len(slots), every):
        day = slots[index]
        text = formats.date_format(day, "j M Y" if multi_year and day.year != year else "j M")
        year = day.year
        x = bars[index].cx
        half = len(text) * CHAR_WIDTH / 2
        anchor = "start" if x - half < 0 else "end" if x + half > WIDTH else "middle"
        ticks.append(Tick(label=text, pos=x, text_x=x, text_y=label_y, anchor=anchor))
    return ticks


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

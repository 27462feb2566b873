"""What a chart is made of: its data classes (read by components/chart.html), sizes, and the
number helpers the bar and heatmap layouts share."""

import itertools
import math
from dataclasses import dataclass, field

from django.utils.text import slugify

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


def _number(value) -> Number:
    """A value as a number for the geometry: None and NaN count as 0, negatives as 0."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return 0
    return number if math.isfinite(number) and number > 0 else 0


def _display(value) -> Number:
    return 0 if value is None else _tidy(value) if isinstance(value, float) else value

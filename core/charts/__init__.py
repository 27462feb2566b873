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

from core.charts.bars import bar_chart, time_chart
from core.charts.base import (
    CELL_GAP,
    CELL_HEIGHT,
    CELL_WIDTH,
    CHAR_WIDTH,
    FONT_SIZE,
    HEAT_BUCKETS,
    HEIGHT,
    MAX_DAILY_BARS,
    MAX_DATE_TICKS,
    MAX_ROW_LABEL_CHARS,
    WIDTH,
    Bar,
    Chart,
    HeatCell,
    HeatRow,
    LegendItem,
    Number,
    Plot,
    Table,
    TableGroup,
    TableRow,
    Tick,
    nice_ticks,
)
from core.charts.heatmap import heat_bucket, heatmap

__all__ = [
    "CELL_GAP",
    "CELL_HEIGHT",
    "CELL_WIDTH",
    "CHAR_WIDTH",
    "FONT_SIZE",
    "HEAT_BUCKETS",
    "HEIGHT",
    "MAX_DAILY_BARS",
    "MAX_DATE_TICKS",
    "MAX_ROW_LABEL_CHARS",
    "WIDTH",
    "Bar",
    "Chart",
    "HeatCell",
    "HeatRow",
    "LegendItem",
    "Number",
    "Plot",
    "Table",
    "TableGroup",
    "TableRow",
    "Tick",
    "bar_chart",
    "heat_bucket",
    "heatmap",
    "nice_ticks",
    "time_chart",
]

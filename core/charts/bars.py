"""Bar charts and bars over time (one per day, or per week over long spans)."""

import math
from datetime import date, datetime, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from core.charts.base import (
    CHAR_WIDTH,
    FONT_SIZE,
    HEIGHT,
    MAX_DAILY_BARS,
    MAX_DATE_TICKS,
    WIDTH,
    Bar,
    Chart,
    Number,
    Plot,
    Table,
    TableGroup,
    TableRow,
    Tick,
    _display,
    _is_whole,
    _number,
    _shorten,
    _tidy,
    nice_ticks,
)


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

"""Server-rendered SVG charts (core.charts, components/chart.html): geometry, ticks, heatmap
buckets, escaping, the empty state, unique ids and CSP-friendly markup. No database needed."""

import gzip
import re
from datetime import date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from core import charts

HOSTILE = ["<script>alert(1)</script>", '" onload="x']


def render(*chart_objects) -> str:
    return "".join(
        render_to_string("components/chart.html", {"chart": chart}) for chart in chart_objects
    )


def svg_part(html: str) -> str:
    return html[html.index("<svg") : html.index("</svg>")]


def table_part(html: str) -> str:
    return html[html.index("<table") : html.index("</table>")]


def progress_chart(**kwargs):
    options = {
        "title": "Progress distribution",
        "description": "Learners by share of lessons completed.",
        "bars": [("0%", 2), ("1–20%", 5), ("21–40%", 10), ("100%", 0)],
        "value_label": "Learners",
    }
    return charts.bar_chart(**(options | kwargs))


def lesson_heatmap(rows=None, **kwargs):
    options = {
        "title": "Completion per lesson",
        "description": "Share of learners who completed each lesson.",
        "rows": rows
        if rows is not None
        else [("Module 1", [("Intro", 0), ("Basics", 19), ("Practice", None)])],
        "value_label": "% of learners",
    }
    return charts.heatmap(**(options | kwargs))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# Ticks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (-3, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (12, [0, 5, 10, 15]),
        (20, [0, 5, 10, 15, 20]),
        (100, [0, 25, 50, 75, 100]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_nice_ticks_are_round_and_cover_the_maximum(maximum, ticks):
    assert charts.nice_ticks(maximum) == ticks


def test_nice_ticks_can_be_fractional():
    assert charts.nice_ticks(0.37, integer=False) == [0, 0.1, 0.2, 0.3, 0.4]
    assert charts.nice_ticks(2.2, integer=False) == [0, 1, 2, 3]


def test_y_ticks_sit_on_the_gridlines_from_bottom_to_top():
    chart = progress_chart()
    assert [tick.label for tick in chart.y_ticks] == [0, 5, 10]
    assert chart.y_ticks[0].pos == chart.plot.bottom
    assert chart.y_ticks[-1].pos == chart.plot.top


# Bar geometry -------------------------------------------------------------------------------


def test_bar_heights_are_proportional_to_the_values():
    chart = progress_chart()
    heights = [bar.height for bar in chart.bars]
    plot_height = chart.plot.bottom - chart.plot.top
    assert heights[2] == plot_height  # 10 is the top tick
    assert heights[1] == pytest.approx(plot_height / 2, abs=0.1)
    assert heights[0] == pytest.approx(plot_height / 5, abs=0.1)
    assert heights[3] == 0
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.plot.bottom, abs=0.1)
        assert chart.plot.left <= bar.x < bar.x + bar.width <= chart.plot.right
    assert [bar.x for bar in chart.bars] == sorted(bar.x for bar in chart.bars)


def test_max_value_fixes_the_top_of_the_scale():
    chart = progress_chart(bars=[("A", 50), ("B", 25)], max_value=100)
    plot_height = chart.plot.bottom - chart.plot.top
    assert chart.bars[0].height == pytest.approx(plot_height / 2, abs=0.1)
    assert chart.bars[1].height == pytest.approx(plot_height / 4, abs=0.1)
    assert chart.y_ticks[-1].label == 100


def test_values_above_max_value_stretch_the_scale_instead_of_overflowing():
    chart = progress_chart(bars=[("A", 150), ("B", 75)], max_value=100)
    plot_height = chart.plot.bottom - chart.plot.top
    assert chart.bars[0].height == plot_height
    assert chart.bars[1].height == pytest.approx(plot_height / 2, abs=0.1)


@pytest.mark.parametrize("max_value", [None, 0])
def test_all_zero_values_do_not_divide_by_zero(max_value):
    chart = progress_chart(bars=[("A", 0), ("B", 0)], max_value=max_value)
    assert not chart.empty
    assert [bar.height for bar in chart.bars] == [0, 0]
    assert [tick.label for tick in chart.y_ticks] == [0, 1]
    assert "<svg" in render(chart)


def test_long_category_labels_are_shortened_under_the_bar_but_whole_in_the_table():
    long = "A very long category label that cannot fit under its bar"
    chart = progress_chart(bars=[(long, 1), ("B", 2), ("C", 3), ("D", 4), ("E", 5)])
    assert chart.bars[0].short.endswith("…")
    assert len(chart.bars[0].short) < len(long)
    html = render(chart)
    assert f"<title>{long}: 1</title>" in svg_part(html)
    assert f'<th scope="row">{long}</th>' in table_part(html)


# Time chart ---------------------------------------------------------------------------------


def test_time_chart_has_a_bar_per_day_with_missing_days_as_zero():
    start = date(2025, 3, 1)
    chart = charts.time_chart(
        title="Lessons completed per day",
        description="Per day.",
        points=[(start, 3), (start + timedelta(days=3), 6), (datetime(2025, 3, 4, 9), 1)],
        value_label="Lessons",
    )
    assert [bar.value for bar in chart.bars] == [3, 0, 0, 7]
    assert [row.cells for row in chart.table.rows] == [[3], [0], [0], [7]]
    assert chart.table.header == ["Date", "Lessons"]
    assert chart.x_ticks[0].label == "1 Mar"
    assert [tick.label for tick in chart.y_ticks] == [0, 2, 4, 6, 8]
    plot_height = chart.plot.bottom - chart.plot.top
    assert chart.bars[3].height == pytest.approx(plot_height * 7 / 8, abs=0.1)


def test_time_chart_date_ticks_are_few_spaced_and_localized():
    start = date(2025, 1, 1)
    points = [(start + timedelta(days=n), n % 4) for n in range(60)]
    chart = charts.time_chart(title="T", description="", points=points, value_label="Lessons")
    assert len(chart.bars) == 60
    assert 2 <= len(chart.x_ticks) <= charts.MAX_DATE_TICKS
    gaps = [b.pos - a.pos for a, b in zip(chart.x_ticks, chart.x_ticks[1:], strict=False)]
    assert min(gaps) >= 40
    assert chart.x_ticks[0].label == "1 Jan"
    with translation.override("id"):
        chart = charts.time_chart(
            title="T", description="", points=[(date(2025, 8, 17), 1)], value_label="L"
        )
    assert chart.x_ticks[0].label == "17 Agu"


def test_long_time_chart_has_a_bar_per_week_starting_on_the_local_first_day():
    start = date(2025, 1, 6)  # a Monday
    points = [(start + timedelta(days=n), 1) for n in range(140)]
    with translation.override("id"):  # weeks start on Monday
        chart = charts.time_chart(title="T", description="", points=points, value_label="L")
    assert len(chart.bars) == 20
    assert [bar.value for bar in chart.bars] == [7] * 20
    # In English weeks start on Sunday: a first week of 6 days, a last one of 1.
    chart = charts.time_chart(title="T", description="", points=points, value_label="L")
    assert [bar.value for bar in chart.bars] == [6] + [7] * 19 + [1]
    assert chart.table.header[0] == "Week starting"
    assert chart.table.rows[0].header == "Jan. 5, 2025"
    assert chart.bars[0].label == "Week starting Jan. 5, 2025"


def test_time_chart_spanning_years_shows_the_year_where_it_changes():
    points = [(date(2024, 12, 1) + timedelta(days=n), 1) for n in range(70)]
    chart = charts.time_chart(title="T", description="", points=points, value_label="L")
    labels = [tick.label for tick in chart.x_ticks]
    assert labels[0] == "1 Dec 2024"
    assert any(label.endswith("2025") for label in labels)
    assert any(not label.endswith(("2024", "2025")) for label in labels)


# Heatmap ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "bucket"),
    [(0, 0), (19, 0), (20, 1), (39, 1), (40, 2), (79, 3), (80, 4), (100, 4), (None, None)],
)
def test_heat_buckets_at_the_boundaries(value, bucket):
    assert charts.heat_bucket(value, 100) == bucket


def test_heat_buckets_clamp_and_survive_a_zero_maximum():
    assert charts.heat_bucket(150, 100) == 4
    assert charts.heat_bucket(-5, 100) == 0
    assert charts.heat_bucket(19.9, 100) == 0
    assert charts.heat_bucket(3, 0) == 4
    assert charts.heat_bucket(0, 0) == 0


def test_heatmap_cells_carry_their_class_and_number():
    chart = lesson_heatmap(
        rows=[
            ("Module 1", [("A", 0), ("B", 19), ("C", 20)]),
            ("Module 2", [("D", 100), ("E", None)]),
        ]
    )
    cells = [cell for row in chart.heat_rows for cell in row.cells]
    assert [cell.css_class for cell in cells] == [
        "chart-heat-0",
        "chart-heat-0",
        "chart-heat-1",
        "chart-heat-4",
        "chart-heat-none",
    ]
    # Rows of different lengths: the width follows the longest row, the rows stack.
    assert chart.width == cells[2].x + cells[2].width + charts.CELL_GAP
    assert cells[3].x == cells[0].x and cells[3].y > cells[0].y
    html = render(chart)
    svg = svg_part(html)
    for text in ('class="chart-heat-1"', ">20</text>", ">100</text>", ">–</text>"):
        assert text in svg
    assert "<title>E: no data</title>" in svg
    assert "<td>no data</td>" in table_part(html)
    assert '<th scope="rowgroup" colspan="2">Module 2</th>' in table_part(html)


def test_heatmap_legend_names_each_bucket_and_no_data():
    chart = lesson_heatmap()
    assert [(item.low, item.high) for item in chart.legend[:5]] == [
        (0, 19),
        (20, 39),
        (40, 59),
        (60, 79),
        (80, 100),
    ]
    assert chart.legend[-1].css_class == "chart-heat-none"
    html = render(chart)
    assert 'class="chart-swatch chart-heat-4" aria-hidden="true"></span>80–100' in html
    assert "no data</span>" in html


def test_heatmap_of_sixty_cells_stays_small():
    rows = [
        (f"Module {m}", [(f"Lesson {m}.{n} title", (m * 17 + n * 7) % 101) for n in range(10)])
        for m in range(6)
    ]
    html = render(lesson_heatmap(rows=rows))
    assert html.count("<rect") == 60
    assert len(svg_part(html)) < 11_000
    assert len(gzip.compress(html.encode())) < 3_000


# Rendering ----------------------------------------------------------------------------------


def all_kinds(label: str) -> list[charts.Chart]:
    return [
        progress_chart(title=label, description=label, bars=[(label, 3), ("B", 1)]),
        charts.time_chart(
            title=label, description=label, points=[(date(2025, 3, 1), 2)], value_label=label
        ),
        lesson_heatmap(title=label, rows=[(label, [(label, 40)])], cell_header=label),
    ]


@pytest.mark.parametrize("label", HOSTILE)
def test_user_labels_are_escaped_in_the_svg_and_the_table(label):
    for chart in all_kinds(label):
        html = render(chart)
        for part in (svg_part(html), table_part(html)):
            assert label not in part
            assert "<script" not in part
            assert "&lt;script&gt;" in part or "&quot; onload=&quot;x" in part
        assert " onload=" not in html.replace("&quot; onload=&quot;", "")


def test_no_script_and_no_style_attributes():
    html = render(*all_kinds("Plain"), lesson_heatmap(), progress_chart(bars=[]))
    assert "<script" not in html
    assert "style=" not in html
    assert "<svg" in html


def test_svg_numbers_are_not_localized_but_the_text_is():
    chart = progress_chart(bars=[("A", 2.5), ("B", 1234.25)])
    with translation.override("id"):
        html = render(chart)
    svg = svg_part(html)
    assert not re.search(r'(x|y|width|height|viewBox)="[^"]*,', svg)
    assert ">2,5</text>" in svg
    assert "<td>2,5</td>" in table_part(html)


def test_the_svg_is_named_by_its_title_and_description():
    html = render(progress_chart())
    labelledby = re.search(r'<svg[^>]* role="img" aria-labelledby="([^"]+)"', html).group(1)
    title_id, desc_id = labelledby.split()
    assert f'<title id="{title_id}">Progress distribution</title>' in html
    assert f'<desc id="{desc_id}">Learners by share of lessons completed.</desc>' in html
    assert "<figcaption>" in html
    assert "<summary>Show the data as a table</summary>" in html
    assert "<caption>Progress distribution</caption>" in html
    assert '<th scope="col">Category</th><th scope="col">Learners</th>' in html


def test_two_charts_on_one_page_have_unique_ids():
    first, second = progress_chart(), progress_chart()
    html = Template(
        '{% include "components/chart.html" with chart=first %}'
        '{% include "components/chart.html" with chart=second %}'
    ).render(Context({"first": first, "second": second}))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == 4
    assert len(set(ids)) == 4
    assert first.uid.startswith("chart-progress-distribution-")
    for reference in re.findall(r'aria-labelledby="([^"]+)"', html):
        assert all(part in ids for part in reference.split())


def test_a_title_without_latin_letters_still_gets_an_id():
    assert re.fullmatch(r"chart-chart-\d+", progress_chart(title="进度").uid)


@pytest.mark.parametrize(
    "chart",
    [
        pytest.param(lambda: progress_chart(bars=[]), id="bar"),
        pytest.param(
            lambda: charts.time_chart(title="T", description="", points=[], value_label="L"),
            id="time",
        ),
        pytest.param(lambda: lesson_heatmap(rows=[]), id="heatmap"),
        pytest.param(lambda: lesson_heatmap(rows=[("M", [("A", None)])]), id="heatmap-none"),
    ],
)
def test_empty_data_says_so_instead_of_drawing_an_empty_svg(chart):
    chart = chart()
    assert chart.empty
    html = render(chart)
    assert "No data yet." in html
    assert "<svg" not in html
    assert "<table" not in html
    assert "chart--empty" in html

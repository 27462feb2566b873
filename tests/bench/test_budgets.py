"""The benchmark's gate and its comparison: pure functions over measurements."""

from bench import budgets
from bench.compare import compare
from bench.pages import Measurement


def measurement(key, *, queries, median=10.0, html_gz=5000, css_gz=4000, js_gz=1000, renditions=0):
    return Measurement(
        key=key, label=key, kind="page", status=200, queries=queries,
        renditions_created=renditions, median_ms=median, p95_ms=median, html_bytes=html_gz * 5,
        html_gz=html_gz, css_gz=css_gz, js_gz=js_gz,
    )  # fmt: skip


def within_budgets():
    return {key: measurement(key, queries=budget) for key, budget in budgets.QUERY_BUDGETS.items()}


def test_a_run_within_every_budget_passes():
    assert budgets.check(within_budgets()) == []


def test_one_query_over_budget_fails():
    by_key = within_budgets()
    by_key["home"].queries += 1
    assert budgets.check(by_key) == [
        f"home: {budgets.QUERY_BUDGETS['home'] + 1} queries, budget {budgets.QUERY_BUDGETS['home']}"
    ]


def test_a_page_without_a_budget_fails():
    by_key = within_budgets()
    by_key["new_page"] = measurement("new_page", queries=1)
    assert budgets.check(by_key) == ["new_page: no query budget set (add one to bench/budgets.py)"]


def test_largest_course_with_fewer_queries_than_smallest_still_fails():
    by_key = within_budgets()
    by_key["lesson_large"].queries -= 1
    assert any("on the largest course" in failure for failure in budgets.check(by_key))


def test_rendition_generated_in_a_seen_page_fails():
    by_key = within_budgets()
    by_key["course_large"].renditions_created = 2
    assert budgets.check(by_key) == [
        "course_large: 2 image renditions generated in a request after the page had been seen"
    ]


def test_heavy_lesson_page_fails_weight_and_script_budgets():
    by_key = within_budgets()
    by_key["lesson_small"].js_gz = 21 * 1024
    by_key["lesson_small"].html_gz = 40 * 1024
    by_key["lesson_small"].css_gz = 4 * 1024
    failures = budgets.check(by_key)
    assert "lesson_small: 65.0 KB compressed, budget 60 KB" in failures
    assert "lesson_small: 21.0 KB of JavaScript, budget 20 KB" in failures


def test_time_goals_are_reported_not_gated():
    by_key = within_budgets()
    by_key["lesson_large"].median_ms = 20.0  # 2× the bare Wagtail page's 10 ms
    misses = budgets.goals(by_key, {"lesson_large": 1.3})
    assert misses == [
        "lesson_large: 1.30× the smallest course (goal ≤ 1.2×)",
        "lesson_large: 2.00× the bare Wagtail page (goal ≤ 1.5×)",
    ]
    assert budgets.check(by_key) == []


def test_compare_flags_query_changes_and_time_beyond_ten_percent():
    def run(rows):
        return {"measurements": [{"key": k, "label": k, "median_ms": m, "queries": q}
                                 for k, m, q in rows]}  # fmt: skip

    baseline = run([("home", 10.0, 5), ("course", 10.0, 7), ("lesson", 10.0, 9)])
    current = run([("home", 10.9, 5), ("course", 12.0, 7), ("lesson", 10.0, 10)])
    _rows, flags = compare(current, baseline)
    assert flags == ["course: median 10.0 → 12.0 ms (+20%)", "lesson: 9 → 10 queries"]

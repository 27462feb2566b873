"""The benchmark's gates: pure functions over measurements (bench.budgets, bench.pages)."""

import pytest

from bench import budgets
from bench.pages import Measurement, percentile, summarize


def measurement(key, *, queries, ratio=1.0, html_gz=5000, css_gz=4000, js_gz=1000, renditions=0):
    return Measurement(
        key=key, label=key, kind="page", status=200, queries=queries,
        renditions_created=renditions, html_bytes=html_gz * 5, html_gz=html_gz, css_gz=css_gz,
        js_gz=js_gz, ratio_cpu=ratio, ratio_wall=ratio,
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
    assert any("on the larger course" in failure for failure in budgets.check(by_key))


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


def test_html_of_the_pages_at_1000_lessons_is_gated():
    by_key = within_budgets()
    by_key["course_1000"].html_bytes = 61 * 1024
    assert budgets.check(by_key) == ["course_1000: 61.0 KB of HTML, budget 60 KB"]


def test_every_ratio_goal_page_has_a_query_budget_and_html_pages_a_goal():
    assert set(budgets.RATIO_GOALS) <= set(budgets.QUERY_BUDGETS)
    assert set(budgets.HTML_BUDGETS) <= set(budgets.RATIO_GOALS)
    assert set(budgets.RATIO_GOALS) >= budgets.REPORTED_ONLY


def test_a_goal_not_met_yet_is_reported_not_gated():
    by_key = within_budgets()
    by_key["lesson_1000"].ratio_cpu = 2.0
    failures, misses, _met = budgets.ratio_gates(by_key, rounds=30)
    if "lesson_1000" in budgets.REPORTED_ONLY:
        assert failures == []
        assert any(m.startswith("lesson_1000: 2.00×") for m in misses)
    else:
        assert any(f.startswith("lesson_1000: 2.00×") for f in failures)


@pytest.fixture
def all_gated(monkeypatch):
    monkeypatch.setattr(budgets, "REPORTED_ONLY", frozenset())


@pytest.mark.usefixtures("all_gated")
def test_a_gated_goal_missed_fails_with_enough_rounds_only():
    by_key = within_budgets()
    by_key["course_200"].ratio_cpu = 1.51
    failures, misses, met = budgets.ratio_gates(by_key, rounds=budgets.MIN_GATED_ROUNDS)
    assert failures == [
        "course_200: 1.51× the bare Wagtail page in CPU time (1.00× wall), goal ≤ 1.5×"
    ]
    assert len(met) == len(budgets.RATIO_GOALS) - 1
    failures, misses, _met = budgets.ratio_gates(by_key, rounds=1)
    assert failures == []
    assert misses == [
        "course_200: 1.51× the bare Wagtail page in CPU time (1.00× wall), goal ≤ 1.5× "
        f"(not gated: 1 rounds < {budgets.MIN_GATED_ROUNDS})"
    ]


@pytest.mark.usefixtures("all_gated")
def test_the_ratio_goals_gate_on_the_engine_they_are_measured_on_only():
    by_key = within_budgets()
    by_key["lesson_2"].ratio_cpu = 1.6
    failures, misses, _met = budgets.ratio_gates(by_key, rounds=30, database="postgresql")
    assert failures == []
    assert misses == [
        "lesson_2: 1.60× the bare Wagtail page in CPU time (1.00× wall), goal ≤ 1.5× "
        "(not gated on postgresql: measured on sqlite)"
    ]
    assert len(budgets.ratio_gates(by_key, rounds=30, database="sqlite")[0]) == 1


def test_a_met_goal_still_reported_only_says_so():
    by_key = within_budgets()
    _failures, _misses, met = budgets.ratio_gates(by_key, rounds=30)
    reported = [m for m in met if m.endswith("(reported only: gate it)")]
    assert len(reported) == len(budgets.REPORTED_ONLY)


def test_size_gates_by_size_with_reported_only_pages(monkeypatch):
    monkeypatch.setattr(budgets, "SIZE_REPORTED_ONLY", frozenset({"api_enrollments"}))
    growth = {"home": 1.25, "catalog": 1.35, "api_enrollments": 2.0}
    failures, misses, met = budgets.size_gates(growth, size="M", rounds=30)
    assert failures == ["catalog: 1.35× its ratio at S, goal at M ≤ 1.3×"]
    assert misses == [
        "api_enrollments: 2.00× its ratio at S, goal at M ≤ 1.3× (not met yet: reported only)"
    ]
    assert met == ["home: 1.25× its ratio at S, goal at M ≤ 1.3×"]
    failures, _misses, met = budgets.size_gates(growth, size="L", rounds=30)
    assert failures == []
    assert len(met) == 2
    assert budgets.size_gates(growth, size="M", rounds=1)[0] == []


def test_summarize_takes_ratios_over_the_paired_bare_requests():
    m = measurement("lesson_2", queries=21)
    summarize(
        m,
        {
            "wall": [30.0, 20.0, 40.0, 25.0],
            "cpu": [15.0, 10.0, 20.0, 12.0],
            "bare_wall": [10.0, 10.0, 20.0, 10.0],
            "bare_cpu": [8.0, 8.0, 10.0, 8.0],
        },
    )
    assert (m.median_ms, m.cpu_median_ms, m.bare_median_ms, m.bare_cpu_median_ms) == (
        27.5, 13.5, 10.0, 8.0,
    )  # fmt: skip
    assert (m.ratio_wall, m.ratio_cpu, m.samples) == (2.75, 1.69, 4)
    assert m.p95_ms == 40.0
    assert m.ratio_cpu_p95 == 2.0


def test_percentile_of_one_sample_is_that_sample():
    assert percentile([7.0], 0.95) == 7.0
    assert percentile(list(map(float, range(1, 101))), 0.95) == 95.0

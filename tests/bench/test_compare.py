"""`make bench-compare`: ratios and query counts of real result files, never milliseconds."""

import copy
import json
from pathlib import Path

import pytest

from bench import budgets, compare

BASELINE = Path(compare.RESULTS) / "baseline.json"


@pytest.fixture
def baseline() -> dict:
    return json.loads(BASELINE.read_text())


@pytest.fixture
def at_s(baseline) -> dict:
    """The baseline as a run at S with enough rounds to gate (as `make bench` makes it)."""
    run = copy.deepcopy(baseline)
    run["size"], run["repeat"] = "S", max(run["repeat"], budgets.MIN_GATED_ROUNDS)
    return run


def rows_of(run: dict) -> dict[str, dict]:
    return {row["key"]: row for row in run["measurements"]}


def test_the_kept_baseline_is_an_interleaved_run_with_every_budgeted_page(baseline):
    assert baseline["method"] == "interleaved"
    assert baseline["repeat"] >= budgets.MIN_GATED_ROUNDS
    rows = rows_of(baseline)
    assert set(rows) == set(budgets.QUERY_BUDGETS)
    assert rows[budgets.BARE]["ratio_cpu"] == 1.0
    assert all(row["ratio_cpu"] and row["ratio_wall"] for row in rows.values())


def test_a_run_equal_to_the_baseline_flags_nothing(baseline):
    rows, flags = compare.compare(copy.deepcopy(baseline), baseline)
    assert flags == []
    pages = [r for r in baseline["measurements"] if r["kind"] != "baseline"]
    assert len(rows) == len(pages)


def test_milliseconds_of_another_day_are_not_compared(baseline):
    slower_machine = copy.deepcopy(baseline)
    for row in slower_machine["measurements"]:
        row["median_ms"] *= 3
        row["cpu_median_ms"] *= 3
    assert compare.compare(slower_machine, baseline)[1] == []


def test_a_grown_ratio_and_a_changed_query_count_are_flagged(baseline):
    run = copy.deepcopy(baseline)
    lesson, home = rows_of(run)["lesson_200"], rows_of(run)["home"]
    lesson["ratio_cpu"] = round(lesson["ratio_cpu"] * 1.5, 2)
    home["queries"] += 1
    _rows, flags = compare.compare(run, baseline)
    assert len(flags) == 2
    assert flags[0].startswith(
        f"{home['label']}: {home['queries'] - 1} → {home['queries']} queries"
    )
    assert flags[1].startswith(f"{lesson['label']}: ") and "(+50%)" in flags[1]


def test_a_ratio_that_fell_is_not_flagged(baseline):
    run = copy.deepcopy(baseline)
    rows_of(run)["cohort"]["ratio_cpu"] /= 2
    assert compare.compare(run, baseline)[1] == []


def test_a_baseline_without_ratios_asks_to_be_replaced(baseline):
    old = copy.deepcopy(baseline)
    for row in old["measurements"]:
        del row["ratio_cpu"]
    assert compare.compare(baseline, old)[1] == [
        "the baseline has no CPU ratios (made before interleaved runs): replace it"
    ]


def as_size(run: dict, size: str, growth: dict[str, float]) -> dict:
    larger = copy.deepcopy(run)
    larger["size"] = size
    for row in larger["measurements"]:
        row["ratio_cpu"] = round(row["ratio_cpu"] * growth.get(row["key"], 1.0), 2)
    return larger


def test_across_sizes_gates_growth_per_page_and_size(at_s, monkeypatch):
    monkeypatch.setattr(budgets, "SIZE_REPORTED_ONLY", frozenset({"api_enrollments"}))
    home = rows_of(at_s)["home"]
    at_m = as_size(at_s, "M", {"home": 1.4, "api_enrollments": 3.0})
    _rows, flags, misses, met = compare.across(at_s, at_m)
    grown = round(round(home["ratio_cpu"] * 1.4, 2) / home["ratio_cpu"], 2)
    assert flags == [f"home: {grown:.2f}× its ratio at S, goal at M ≤ 1.3×"]
    assert [m.split(":")[0] for m in misses] == ["api_enrollments"]  # reported only, not met
    assert len(met) == len(rows_of(at_s)) - 2 - 2  # the two baselines are not pages
    # L allows 1.5×: the home page's 1.4× is within it.
    _rows, flags, _misses, _met = compare.across(at_s, as_size(at_s, "L", {"home": 1.4}))
    assert flags == []


def test_across_sizes_flags_a_query_count_that_grows_with_the_data(at_s):
    at_m = as_size(at_s, "M", {})
    rows_of(at_m)["team"]["queries"] += 2
    _rows, flags, _misses, _met = compare.across(at_s, at_m)
    team = rows_of(at_s)["team"]
    assert flags == [f"{team['label']}: {team['queries']} queries at S, {team['queries'] + 2} at M"]


def test_across_sizes_reports_a_query_that_runs_only_when_the_data_calls_for_it(at_s):
    """The profile's recommendations are read only for a person with a gap: one query more
    at M is no growth; two more would be."""
    at_m = as_size(at_s, "M", {})
    rows_of(at_m)["competency_profile"]["queries"] += 1
    rows, flags, _misses, _met = compare.across(at_s, at_m)
    assert flags == []
    assert any("queries (data-dependent)" in row for row in rows)
    rows_of(at_m)["competency_profile"]["queries"] += 1
    assert len(compare.across(at_s, at_m)[1]) == 1


def test_across_sizes_is_not_gated_on_a_smoke_run(baseline):
    small, large = copy.deepcopy(baseline), as_size(baseline, "M", {"home": 2.0})
    small["repeat"] = large["repeat"] = 1
    _rows, flags, misses, _met = compare.across(small, large)
    assert flags == []
    assert any(m.startswith("home:") and "not gated" in m for m in misses)


def test_main_compares_two_files_and_exits_non_zero_when_flagged(at_s, tmp_path, capsys):
    small, large = tmp_path / "s.json", tmp_path / "m.json"
    small.write_text(json.dumps(at_s))
    large.write_text(json.dumps(as_size(at_s, "M", {"catalog": 2.0})))
    assert compare.main(["--sizes", str(small), str(large)]) == 1
    assert "- catalog: 2.00× its ratio at S, goal at M ≤ 1.3×" in capsys.readouterr().out
    large.write_text(json.dumps(as_size(at_s, "M", {})))
    assert compare.main(["--sizes", str(small), str(large)]) == 0
    assert compare.main([str(small), "--baseline", str(BASELINE)]) == 0


def test_across_sizes_compares_a_list_of_lessons_per_lesson(at_s):
    """The largest course's offline manifest lists each of its lessons: ten times the lessons
    at L may cost ten times as much, not more per lesson."""
    at_s["data"]["largest_course_lessons"] = 100
    at_l = as_size(at_s, "L", {"api_offline_large": 12.0})
    at_l["data"]["largest_course_lessons"] = 1000
    rows, flags, _misses, met = compare.across(at_s, at_l)
    assert flags == []
    assert any(m.startswith("api_offline_large: 1.20×") for m in met)
    assert any("per largest_course_lessons item (10.0× as many)" in row for row in rows)
    # More per lesson than the goal allows is a miss like any other page's.
    at_l = as_size(at_s, "L", {"api_offline_large": 16.0})
    at_l["data"]["largest_course_lessons"] = 1000
    grown = compare.growth(at_s, at_l)["api_offline_large"]
    assert grown == pytest.approx(1.6, abs=0.02)

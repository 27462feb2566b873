"""`make bench-compare`: page benchmark runs compared by their ratios to the bare Wagtail page and
their query counts, never by milliseconds measured on another day.

    python -m bench.compare [RUN.json] [--baseline bench/results/baseline.json]
    python -m bench.compare --sizes RUN_AT_S.json RUN_AT_M_OR_L.json

Against the baseline (same size): any change of a page's query count is flagged, and so is a
CPU time ratio that grew by more than RATIO_TOLERANCE. Across sizes: each page's ratio at the
larger size over its ratio at S is checked against `bench.budgets.SIZE_GOALS` (M ≤ 1.3×,
L ≤ 1.5×), gated per page as `budgets.SIZE_REPORTED_ONLY` says (per item listed for a page that
lists what the sizes grow: `budgets.SIZE_PER_ITEM`), and a query count that differs between the
sizes is flagged. Exits 1 when something is flagged or a gated goal is missed.
Without RUN, the newest `bench/results/pages-*.json` is compared.
"""

import argparse
import json
import sys
from pathlib import Path

from bench import budgets

RESULTS = Path(__file__).resolve().parent / "results"
# Run to run, on a shared 2-CPU machine, a page's CPU ratio moves by about ±10%.
RATIO_TOLERANCE = 0.20
COLUMNS = "| Page | {a} × bare CPU | {b} × bare CPU | Change | Queries | Flag |"


def _ratio(row: dict) -> float | None:
    return row.get("ratio_cpu")


def _pages(run: dict) -> dict[str, dict]:
    return {row["key"]: row for row in run["measurements"] if row.get("kind") != "baseline"}


def _fmt(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}"


def compare(run: dict, baseline: dict) -> tuple[list[str], list[str]]:
    """Table rows and flagged changes of `run` against `baseline` (the same size)."""
    if any("ratio_cpu" not in row for row in baseline["measurements"]):
        return [], ["the baseline has no CPU ratios (made before interleaved runs): replace it"]
    before = _pages(baseline)
    rows, flags = [], []
    for key, row in _pages(run).items():
        old = before.get(key)
        now = _ratio(row)
        if old is None:
            rows.append(f"| {row['label']} | new | {_fmt(now)} | | {row['queries']} | |")
            continue
        was = _ratio(old)
        change = (now - was) / was if now is not None and was else 0.0
        marks = []
        if row["queries"] != old["queries"]:
            marks.append("queries")
            flags.append(f"{row['label']}: {old['queries']} → {row['queries']} queries")
        if change > RATIO_TOLERANCE:
            marks.append("ratio")
            flags.append(
                f"{row['label']}: {was:.2f}× → {now:.2f}× the bare page in CPU time ({change:+.0%})"
            )
        rows.append(
            f"| {row['label']} | {_fmt(was)} | {_fmt(now)} | {change:+.0%} "
            f"| {old['queries']} → {row['queries']} | {', '.join(marks)} |"
        )
    return rows, flags


def _items_grown(small: dict, large: dict, key: str) -> float:
    """How many times more of what page `key` lists the larger run holds (1 for a page that
    lists no more as the data grows: `budgets.SIZE_PER_ITEM`)."""
    count = budgets.SIZE_PER_ITEM.get(key)
    if count is None:
        return 1.0
    before, after = small.get("data", {}).get(count), large.get("data", {}).get(count)
    return after / before if before and after else 1.0


def growth(small: dict, large: dict) -> dict[str, float]:
    """Each page's CPU ratio at the larger size over its ratio at the smaller (per item listed
    for the pages in `budgets.SIZE_PER_ITEM`)."""
    before = _pages(small)
    result = {}
    for key, row in _pages(large).items():
        old = before.get(key)
        if old and _ratio(old) and _ratio(row) is not None:
            grown = _ratio(row) / _ratio(old) / _items_grown(small, large, key)
            result[key] = round(grown, 2)
    return result


def across(small: dict, large: dict) -> tuple[list[str], list[str], list[str], list[str]]:
    """Table rows, flags that gate (goal failures, query counts that differ), misses reported
    only, and goals met, of the larger run's ratios over the smaller's."""
    rounds = min(small.get("repeat", 0), large.get("repeat", 0))
    grown = growth(small, large)
    failures, misses, met = budgets.size_gates(grown, size=large["size"], rounds=rounds)
    goal = budgets.SIZE_GOALS.get(large["size"])
    before = _pages(small)
    rows, flags = [], list(failures)
    for key, value in grown.items():
        old, row = before[key], _pages(large)[key]
        marks = []
        if 0 < abs(row["queries"] - old["queries"]) <= budgets.DATA_DEPENDENT_QUERIES.get(key, 0):
            marks.append("queries (data-dependent)")
        elif old["queries"] != row["queries"]:
            marks.append("queries")
            flags.append(
                f"{row['label']}: {old['queries']} queries at {small['size']}, "
                f"{row['queries']} at {large['size']}"
            )
        items = _items_grown(small, large, key)
        if items != 1.0:
            marks.append(f"per {budgets.SIZE_PER_ITEM[key]} item ({items:.1f}× as many)")
        if goal is not None and value > goal:
            marks.append("reported" if key in budgets.SIZE_REPORTED_ONLY else "goal")
        rows.append(
            f"| {row['label']} | {_fmt(_ratio(old))} | {_fmt(_ratio(row))} | {value:.2f}× "
            f"| {old['queries']} → {row['queries']} | {', '.join(marks)} |"
        )
    return rows, flags, misses, met


def _load(path: str | Path) -> dict:
    return json.loads(Path(path).read_text())


def _header(name: str, run: dict) -> str:
    return (
        f"{name}: size {run['size']}, {run['database']}, {run['cpus']} CPUs, "
        f"{run.get('repeat')} rounds, {run.get('started_at')}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", nargs="?", help="a pages-*.json result (default: the newest)")
    parser.add_argument("--baseline", default=str(RESULTS / "baseline.json"))
    parser.add_argument(
        "--sizes",
        nargs=2,
        metavar=("RUN_S", "RUN_LARGER"),
        help="compare a run at S with one at M or L (same database) instead of the baseline",
    )
    args = parser.parse_args(argv)
    if args.sizes:
        small, large = (_load(path) for path in args.sizes)
        print(_header("Smaller", small))
        print(_header("Larger", large))
        if small["database"] != large["database"]:
            print("Note: different databases; the ratios are not comparable across engines.")
        if small["size"] != budgets.SIZE_REFERENCE or large["size"] not in budgets.SIZE_GOALS:
            print(
                f"Note: the goals are for {budgets.SIZE_REFERENCE} against "
                f"{', '.join(budgets.SIZE_GOALS)}; nothing is gated for these sizes."
            )
        rows, flags, misses, met = across(small, large)
        print("\n" + COLUMNS.format(a=small["size"], b=large["size"]).replace("Change", "Growth"))
        print("| --- | ---: | ---: | ---: | --- | --- |")
        print("\n".join(rows))
        if large["size"] in budgets.SIZE_GOALS:
            print(f"\n{len(met)} of {len(rows)} pages within the goal at {large['size']}.")
        for miss in misses:
            print(f"Goal missed: {miss}")
        if flags:
            print("\nFlagged:\n" + "\n".join(f"- {flag}" for flag in flags))
            return 1
        return 0
    if args.run:
        run_path = Path(args.run)
    else:
        runs = sorted(RESULTS.glob("pages-*.json"), key=lambda p: p.stat().st_mtime)
        if not runs:
            print("No run to compare: `make bench` first.", file=sys.stderr)
            return 2
        run_path = runs[-1]
    run, baseline = _load(run_path), _load(args.baseline)
    print(_header(run_path.name, run))
    print(_header("Baseline", baseline))
    if (run["size"], run["database"]) != (baseline["size"], baseline["database"]):
        print("Note: different size or database; ratios and queries may differ for that reason.")
    rows, flags = compare(run, baseline)
    print("\n" + COLUMNS.format(a="Baseline", b="Run"))
    print("| --- | ---: | ---: | ---: | --- | --- |")
    print("\n".join(rows))
    if flags:
        print("\nFlagged:\n" + "\n".join(f"- {flag}" for flag in flags))
        return 1
    print(
        f"\nNo query count changed and no CPU ratio grew more than {RATIO_TOLERANCE:.0%} "
        "(ratios to the bare Wagtail page, measured interleaved in each run)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench-compare`: a page benchmark run against the kept baseline.

    python -m bench.compare [RUN.json] [--baseline bench/results/baseline.json]

Without RUN, the newest `bench/results/pages-*.json` is compared. Any change in a page's query
count is flagged, and so is a change of more than 10% in its median time. Exits 1 when
something is flagged, so it can gate a branch if wanted.
"""

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
TIME_TOLERANCE = 0.10


def compare(run: dict, baseline: dict) -> tuple[list[str], list[str]]:
    """Table rows and flagged changes."""
    before = {row["key"]: row for row in baseline["measurements"]}
    rows, flags = [], []
    for row in run["measurements"]:
        old = before.get(row["key"])
        if old is None:
            rows.append(
                f"| {row['label']} | new | {row['median_ms']:.1f} | new | {row['queries']} | |"
            )
            continue
        change = (row["median_ms"] - old["median_ms"]) / old["median_ms"] if old["median_ms"] else 0
        marks = []
        if row["queries"] != old["queries"]:
            marks.append("queries")
            flags.append(f"{row['label']}: {old['queries']} → {row['queries']} queries")
        if abs(change) > TIME_TOLERANCE:
            marks.append("time")
            flags.append(
                f"{row['label']}: median {old['median_ms']:.1f} → {row['median_ms']:.1f} ms "
                f"({change:+.0%})"
            )
        rows.append(
            f"| {row['label']} | {old['median_ms']:.1f} | {row['median_ms']:.1f} | {change:+.0%} "
            f"| {old['queries']} → {row['queries']} | {', '.join(marks)} |"
        )
    return rows, flags


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", nargs="?", help="a pages-*.json result (default: the newest)")
    parser.add_argument("--baseline", default=str(RESULTS / "baseline.json"))
    args = parser.parse_args(argv)
    if args.run:
        run_path = Path(args.run)
    else:
        runs = sorted(RESULTS.glob("pages-*.json"), key=lambda p: p.stat().st_mtime)
        if not runs:
            print("No run to compare: `make bench` first.", file=sys.stderr)
            return 2
        run_path = runs[-1]
    run = json.loads(run_path.read_text())
    baseline = json.loads(Path(args.baseline).read_text())
    print(
        f"{run_path.name} (size {run['size']}, {run['database']}, {run['cpus']} CPUs) against "
        f"the baseline (size {baseline['size']}, {baseline['database']}, {baseline['cpus']} CPUs)"
    )
    if (run["size"], run["database"]) != (baseline["size"], baseline["database"]):
        print("Note: different size or database; times and queries may differ for that reason.")
    rows, flags = compare(run, baseline)
    print("\n| Page | Baseline ms | Run ms | Change | Queries | Flag |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    print("\n".join(rows))
    if flags:
        print("\nFlagged:\n" + "\n".join(f"- {flag}" for flag in flags))
        return 1
    print("\nNo query count changed and no median moved more than 10%.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`'s harness run for real on the tiny data set: the command generates it, measures
every target (warm-up, captured SQL, one interleaved timed round), checks the budgets and writes
its JSON; CI's smoke run (`make bench SIZE=tiny`) does the same outside the coverage run."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from bench import budgets


# A database test, so that the suite's test database is set up even when this test runs alone.
@pytest.mark.django_db
def test_the_tiny_run_answers_every_target_within_every_budget(tmp_path, migrated_sqlite_file):
    # As `make bench` runs it: the bench settings (debug off, the `bench` app's baselines and
    # URLs) on a database of its own, in a child process (coverage follows it). On SQLite that
    # database starts as a copy of the suite's own (migrated, with the site skeleton `generate`
    # accepts), so `migrate` applies only the bench app's migrations: migrating from nothing
    # is most of this test's time, and the suite's database setup has just proven it.
    if migrated_sqlite_file is not None:
        shutil.copyfile(migrated_sqlite_file, tmp_path / "tiny.sqlite3")
    environment = {
        # A replica of the suite's own database has nothing to do with this one.
        **{
            key: value
            for key, value in os.environ.items()
            if not key.startswith("DATABASE_REPLICA")
        },
        "DJANGO_SETTINGS_MODULE": "lentera.settings.bench",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tiny.sqlite3'}",
        # Debug off serves hashed static names from the manifest collectstatic writes.
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    for step in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run([*manage, *step, "-v", "0"], env=environment, check=True)  # noqa: S603
    finished = subprocess.run(  # noqa: S603
        [*manage, "bench_pages", "--size", "tiny", "--repeat", "1",
         "--output", str(tmp_path / "run.json")],
        env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    text = finished.stdout
    assert "Every budget and every gated goal holds." in text
    assert "Ratio goals not gated in this run: 1 rounds" in text

    run = json.loads((tmp_path / "run.json").read_text())
    assert (run["size"], run["repeat"], run["method"]) == ("tiny", 1, "interleaved")
    assert run["budget_failures"] == [] and run["time_failures"] == []
    assert run["time_gated"] is False
    assert run["data"]["largest_course_lessons"] > run["data"]["smallest_course_lessons"] > 0
    by_key = {row["key"]: row for row in run["measurements"]}
    # Every page with a budget was measured (the HR drill-down too: its staff have records).
    assert set(by_key) == set(budgets.QUERY_BUDGETS)
    for key, row in by_key.items():
        assert row["status"] == (302 if key == "lesson_complete" else 200), key
        assert row["queries"] <= budgets.QUERY_BUDGETS[key], key
        assert row["samples"] == (len(by_key) - 1 if key == budgets.BARE else 1), key
        assert row["median_ms"] > 0, key
        assert row["ratio_cpu"] is not None and row["ratio_wall"] > 0, key
        assert row["total_gz"] == row["html_gz"] + row["css_gz"] + row["js_gz"]
    # The bare Wagtail page was paired with every other target once (above); the bare Django
    # view answers with the enrolled lesson's bytes.
    assert by_key["bare_django"]["queries"] == 0
    assert by_key["bare_django"]["html_bytes"] == by_key["lesson_large"]["html_bytes"]
    assert by_key["api_jp"]["css_gz"] == by_key["api_jp"]["js_gz"] == 0
    # The outline pages: the same queries at 2, 200 and 1,000 lessons.
    assert by_key["course_2"]["queries"] == by_key["course_200"]["queries"]
    assert by_key["course_2"]["queries"] == by_key["course_1000"]["queries"]
    assert by_key["lesson_2"]["queries"] == by_key["lesson_200"]["queries"]
    assert by_key["lesson_2"]["queries"] == by_key["lesson_1000"]["queries"]
    assert run["scale_queries"]["lesson_1000"] == [by_key["lesson_2"]["queries"]] * 2
    assert set(run["scale_ratios"]) == {large for _, large in budgets.SCALE_PAIRS}
    assert all(ratio > 0 for ratio in run["scale_ratios"].values())

    # The markdown table names every target and states each scale pair's queries.
    for row in run["measurements"]:
        assert f"| {row['label']} |" in text
    for large, (small_queries, large_queries) in run["scale_queries"].items():
        assert f"Same run, {large}:" in text
        assert f"queries {small_queries} vs {large_queries}." in text

"""`make bench`'s harness run for real on the tiny data set: the command generates it, measures
every target (warm-up, captured SQL, one interleaved timed round), checks the budgets and writes
its JSON; CI's smoke run (`make bench SIZE=tiny`) does the same outside the coverage run."""

import io
import json

import pytest
from django.apps import AppConfig, apps
from django.core.management import call_command
from django.template.utils import get_app_template_dirs
from wagtail.models import PAGE_MODEL_CLASSES

from bench import budgets
from bench.management.commands.bench_pages import Command

# The `bench` app (the bare Wagtail page and the bare Django view) joins in
# lentera.settings.bench only, so this test migrates its table: outside a transaction, which
# SQLite's schema editor requires.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bench_app(settings):
    """The `bench` app joined to the running registry (override_settings would run every app's
    `ready()` again), with its table, its URLs and its templates; all removed afterwards."""
    config = AppConfig.create("bench")
    config.apps = apps
    apps.app_configs[config.label] = config
    config.import_models()
    apps.clear_cache()
    get_app_template_dirs.cache_clear()  # bench/templates
    settings.ROOT_URLCONF = "lentera.bench_urls"
    call_command("migrate", "bench", verbosity=0)
    try:
        yield
    finally:
        call_command("migrate", "bench", "zero", verbosity=0)
        from bench.models import BarePage

        PAGE_MODEL_CLASSES.remove(BarePage)
        del apps.app_configs[config.label]
        apps.clear_cache()
        get_app_template_dirs.cache_clear()


def test_the_tiny_run_answers_every_target_within_every_budget(bench_app, tmp_path):
    output, errors = io.StringIO(), io.StringIO()
    call_command(
        Command(), size="tiny", repeat=1, output=str(tmp_path / "run.json"),
        stdout=output, stderr=errors,
    )  # fmt: skip
    assert errors.getvalue() == ""
    text = output.getvalue()
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

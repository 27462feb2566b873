"""`make bench-load`'s pure parts: its figures, its integrity checks and its report, from plain
data (the load itself needs two gunicorn servers on PostgreSQL and is not a unit test)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from bench.management.commands.bench_load import (
    RaceOutcome,
    backend_cpu,
    completion_checks,
    failures,
    latency_rows,
    percentile,
    race_checks,
    report_lines,
    server_rows,
    worker_command,
)


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]  # 1..100
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0


def test_latency_rows_follow_the_action_order_and_skip_actions_that_did_not_run():
    rows = latency_rows(
        {"complete": [10.0, 30.0], "lesson": [5.0, 1.0, 3.0, 2.0, 4.0]},
        {"complete": 1},
        ["lesson", "complete", "my_learning"],
    )
    assert [row["action"] for row in rows] == ["lesson", "complete"]
    assert rows[0] == {
        "action": "lesson",
        "requests": 5,
        "p50_ms": 3.0,
        "p90_ms": 5.0,
        "p95_ms": 5.0,
        "p99_ms": 5.0,
        "errors": 0,
    }
    assert rows[1]["errors"] == 1


def test_server_rows_give_each_server_and_the_total():
    rows = server_rows({8790: 300, 8791: 200}, {8790: 10.0, 8791: 8.0}, elapsed=10.0, workers=2)
    assert rows == [
        {"server": "8790", "requests": 300, "rps": 30.0, "rps_per_worker": 15.0,
         "cpu_s": 10.0, "requests_per_cpu_s": 30.0},
        {"server": "8791", "requests": 200, "rps": 20.0, "rps_per_worker": 10.0,
         "cpu_s": 8.0, "requests_per_cpu_s": 25.0},
        {"server": "total", "requests": 500, "rps": 50.0, "rps_per_worker": 12.5,
         "cpu_s": 18.0, "requests_per_cpu_s": 27.8},
    ]  # fmt: skip


def test_a_single_server_has_no_total_row_and_an_idle_one_no_cpu_figure():
    rows = server_rows({}, {8790: 0.0}, elapsed=5.0, workers=4)
    assert rows == [
        {"server": "8790", "requests": 0, "rps": 0.0, "rps_per_worker": 0.0, "cpu_s": 0.0,
         "requests_per_cpu_s": None},
    ]  # fmt: skip


def test_backend_cpu_counts_each_backend_from_its_first_sample_to_its_last():
    samples = [
        {101: 4.0, 102: 1.0},  # present from the start: counted from here
        {101: 5.0, 102: 1.5, 103: 0.2},  # 103 connected meanwhile: counted from 0
        {101: 6.5, 103: 0.7},  # 102 gone (its last sample counts)
    ]
    assert backend_cpu(samples) == 2.5 + 0.5 + 0.7
    assert backend_cpu([]) == 0.0
    assert backend_cpu([{101: 3.0}]) == 0.0


def mix(**changes):
    data = {
        "acknowledged": {(1, 10), (1, 11), (2, 10)},
        "rows": [(1, 10), (1, 11), (2, 10)],
        "fully_done": {1},
        "finished": {1},
        "certificates": {1: 1},
    }
    return completion_checks(**{**data, **changes})


def broken(checks):
    return sorted(name for name, (ok, _detail) in checks.items() if not ok)


def test_the_mix_passes_when_the_database_holds_exactly_what_was_acknowledged():
    assert broken(mix()) == []


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ({"rows": [(1, 10), (1, 11)]}, ["no completion lost"]),
        (
            {"rows": [(1, 10), (1, 11), (2, 10), (2, 10)]},
            ["no completion duplicated"],
        ),
        (
            {"rows": [(1, 10), (1, 11), (2, 10), (2, 11)]},
            ["no completion stored unacknowledged"],
        ),
        ({"finished": set(), "certificates": {}}, ["every finished course is completed"]),
        ({"certificates": {1: 2}}, ["one certificate per finished enrollment"]),
        ({"certificates": {1: 1, 2: 1}}, ["one certificate per finished enrollment"]),
    ],
)
def test_the_mix_fails_on_each_broken_rule(changes, failing):
    assert broken(mix(**changes)) == failing


RACED = RaceOutcome(
    lessons=[10, 11, 12],
    completion_rows=[10, 11, 12],
    lesson_records=[12, 11, 10],
    course_records=1,
    status="completed",
    jp_credited=Decimal("2.00"),
    course_jp=Decimal("2.00"),
    certificates=1,
    certificate_enabled=True,
    answers=[201, 200],
)


def test_a_race_that_completed_everything_once_passes():
    checks = race_checks({1: RACED, 2: replace(RACED, certificate_enabled=False, certificates=0)})
    assert broken(checks) == []
    assert checks["race: one certificate"] == (True, "0 of 2 enrollments wrong")


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ({"answers": [201, 500]}, ["race: every racing request answered 2xx"]),
        ({"answers": [201, 0]}, ["race: every racing request answered 2xx"]),
        ({"completion_rows": [10, 11, 12, 12]}, ["race: exactly one completion row per lesson"]),
        ({"completion_rows": [10, 11]}, ["race: exactly one completion row per lesson"]),
        ({"lesson_records": [10, 11, 12, 12]}, ["race: exactly one lesson record per lesson"]),
        (
            {"course_records": 2},
            ["race: JP credited once", "race: enrollment completed once"],
        ),
        (
            {"status": "active", "course_records": 0, "jp_credited": None, "certificates": 0},
            ["race: JP credited once", "race: enrollment completed once", "race: one certificate"],
        ),
        ({"certificates": 2}, ["race: one certificate"]),
    ],
)
def test_a_race_fails_on_each_broken_rule(changes, failing):
    checks = race_checks({1: RACED, 2: replace(RACED, **changes)})
    assert broken(checks) == failing
    for name in failing:
        assert checks[name][1] == "1 of 2 enrollments wrong (e.g. 2)"


def test_a_race_of_no_enrollment_proves_nothing_and_fails():
    assert broken(race_checks({})) == sorted(race_checks({1: RACED}))


def result(**changes):
    scenario = {
        "name": "lesson",
        "elapsed_s": 10.0,
        "total_rps": 50.0,
        "servers": server_rows({8790: 300, 8791: 200}, {8790: 10.0, 8791: 8.0}, 10.0, 2),
        "actions": latency_rows({"lesson": [1.0, 2.0]}, {}, ["lesson"]),
        "error_samples": [],
        "database_cpu_s": {"default": 5.0, "replica": 2.5},
        "database_cpu_ms_per_request": {"default": 10.0, "replica": 5.0},
        "primary_transactions": 900,
        "replica_transactions": 400,
    }
    return {
        "servers": 2, "workers": 2, "worker_class": "gthread", "threads": 4, "users": 16,
        "tasks_backend": "django_tasks_db.DatabaseBackend", "replica": True, "cpus": 2,
        "load_before": 1.5, "scenarios": [scenario],
        "checks": race_checks({1: RACED}), **changes,
    }  # fmt: skip


def test_the_report_gives_servers_actions_replica_and_checks():
    text = "\n".join(report_lines(result()))
    assert "2 gunicorn servers x 2 workers (gthread, 4 threads), 16 client threads" in text
    assert "replica on" in text
    assert "### lesson: 10.0 s, 50.0 requests/s" in text
    assert "| 8790 | 300 | 30.0 | 15.0 | 10.0 | 30.0 |" in text
    assert "| total | 500 | 50.0 | 12.5 | 18.0 | 27.8 |" in text
    assert "| lesson | 2 | 1.0 | 2.0 | 2.0 | 2.0 | 0 |" in text
    assert "Database CPU: default 5.0 s (10.0 ms per request), replica 2.5 s (5.0 ms" in text
    assert "Transactions: primary 900, replica 400." in text
    assert "- ok: race: one certificate (0 of 1 enrollments wrong)" in text


def test_a_run_fails_on_a_broken_check_or_a_failed_request():
    assert failures(result()) == []
    run = result(checks=race_checks({1: replace(RACED, certificates=2)}))
    assert failures(run) == ["race: one certificate"]
    run = result()
    run["scenarios"][0]["actions"][0]["errors"] = 3
    assert failures(run) == ["3 request errors"]
    assert "- FAILED: race: one certificate" in "\n".join(
        report_lines(result(checks=race_checks({1: replace(RACED, certificates=2)})))
    )


def test_the_task_worker_follows_the_configured_backend():
    assert worker_command("django_tasks_db.DatabaseBackend") == [
        "manage.py", "db_worker", "--interval", "1",
    ]  # fmt: skip
    for backend in ("core.task_rq.RQBackend", "django_tasks_rq.RQBackend"):
        assert worker_command(backend) == ["manage.py", "rqworker", "default", "--with-scheduler"]

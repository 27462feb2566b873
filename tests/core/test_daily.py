"""The daily-job registry (core.daily) and the `lentera_daily` command that runs it."""

import io
import logging
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.daily import DailyJobRegistry, registry

DAY = date(2026, 3, 2)


def _recorder(calls: list[str], name: str, summary: str = "done"):
    def job(today: date) -> str:
        calls.append(name)
        return f"{name} {summary} for {today}"

    return job


@pytest.mark.django_db
def test_jobs_run_by_order_then_registration():
    jobs, calls, lines = DailyJobRegistry(), [], []
    jobs.register(_recorder(calls, "late"), name="late", order=90)
    jobs.register(_recorder(calls, "first_default"), name="first_default")
    jobs.register(_recorder(calls, "early"), name="early", order=10)
    jobs.register(_recorder(calls, "second_default"), name="second_default")
    assert jobs.run(today=DAY, write=lines.append) == []
    assert calls == ["early", "first_default", "second_default", "late"]
    assert lines[0] == "2026-03-02: early done for 2026-03-02"


@pytest.mark.django_db
def test_registering_a_name_again_replaces_the_job_in_its_place():
    jobs, calls = DailyJobRegistry(), []
    jobs.register(_recorder(calls, "a"), name="a")
    jobs.register(_recorder(calls, "b"), name="b")
    jobs.register(_recorder(calls, "a again"), name="a")
    jobs.run(today=DAY, write=lambda line: None)
    assert calls == ["a again", "b"]


@pytest.mark.django_db
def test_a_failing_job_is_rolled_back_and_the_others_still_run(caplog):
    jobs, calls, lines = DailyJobRegistry(), [], []

    def half_done(today: date) -> str:
        Group.objects.create(name="written before the failure")
        raise RuntimeError("mail server on fire")

    jobs.register(_recorder(calls, "before"), name="before", order=1)
    jobs.register(half_done, name="half_done", order=2)
    jobs.register(_recorder(calls, "after"), name="after", order=3)
    with caplog.at_level(logging.ERROR, logger="core.daily"):
        failures = jobs.run(today=DAY, write=lines.append)
    assert [failure.name for failure in failures] == ["half_done"]
    assert isinstance(failures[0].error, RuntimeError)
    assert calls == ["before", "after"]
    assert len(lines) == 2
    assert not Group.objects.filter(name="written before the failure").exists()
    assert "Daily job half_done failed" in caplog.text
    assert "mail server on fire" in caplog.text  # the traceback is logged


@pytest.mark.django_db
def test_a_database_error_in_one_job_leaves_the_next_job_a_working_connection():
    # On PostgreSQL a failed statement aborts the whole transaction: without a transaction
    # (savepoint) per job, every job after this one would fail too.
    Group.objects.create(name="taken")
    jobs, lines = DailyJobRegistry(), []

    def duplicate(today: date) -> str:
        Group.objects.create(name="taken")
        return "unreachable"

    def reads(today: date) -> str:
        taken = Group.objects.filter(name="taken").count()
        return f"{taken} group(s) named taken"

    jobs.register(duplicate, name="duplicate", order=1)
    jobs.register(reads, name="reads", order=2)
    failures = jobs.run(today=DAY, write=lines.append)
    assert [failure.name for failure in failures] == ["duplicate"]
    assert lines == ["2026-03-02: 1 group(s) named taken"]


@pytest.mark.django_db
def test_the_command_reports_a_failed_job_after_running_the_rest(monkeypatch):
    jobs, calls = DailyJobRegistry(), []
    jobs.register(lambda today: 1 / 0, name="broken", order=1)
    jobs.register(_recorder(calls, "fine"), name="fine", order=2)
    monkeypatch.setattr("core.management.commands.lentera_daily.registry", jobs)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 daily job\\(s\\) failed: broken"):
        call_command("lentera_daily", stdout=out, stderr=err)
    assert calls == ["fine"]
    assert "fine done" in out.getvalue()
    assert "daily job broken failed: ZeroDivisionError" in err.getvalue()


@pytest.mark.django_db
def test_the_command_exits_non_zero_when_a_job_failed(monkeypatch, capsys):
    jobs = DailyJobRegistry()
    jobs.register(lambda today: 1 / 0, name="broken")
    monkeypatch.setattr("core.management.commands.lentera_daily.registry", jobs)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "lentera_daily"]).execute()
    assert exit_info.value.code == 1
    assert "daily job(s) failed: broken" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_command_exits_zero_when_every_job_succeeds(monkeypatch):
    jobs, calls = DailyJobRegistry(), []
    jobs.register(_recorder(calls, "fine"), name="fine")
    monkeypatch.setattr("core.management.commands.lentera_daily.registry", jobs)
    ManagementUtility(["manage.py", "lentera_daily"]).execute()  # no SystemExit
    assert calls == ["fine"]


def test_each_app_registers_its_jobs_in_the_order_of_the_old_command():
    assert [job.name for job in registry.jobs()] == [
        "enrollments_expire",
        "behaviour_followups_schedule",
        "invitations_expired_remove",
        "content_review_reminders",
        "tasks_stuck_requeue",
        "notifications_digest",
        "xapi_overdue",
    ]


@pytest.mark.django_db
def test_lentera_daily_prints_one_line_per_job_for_today():
    out = io.StringIO()
    call_command("lentera_daily", stdout=out)
    today = timezone.localdate()
    assert out.getvalue().splitlines() == [
        f"{today}: 0 enrollment(s) now due for recertification.",
        f"{today}: 0 supervisor follow-up(s) created, 0 e-mail(s) queued.",
        f"{today}: 0 cohort invitation(s) expired and listed, "
        "0 removed after LENTERA_INVITATION_DAYS more days.",
        f"{today}: 0 content review reminder(s) sent; 0 review-by date(s) set.",
        f"{today}: 0 task(s) whose worker died requeued, 0 failed for good.",
        f"{today}: 0 notification digest(s) queued.",
        f"{today}: xAPI off (no LENTERA_XAPI_ENDPOINT).",
    ]

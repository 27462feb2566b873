"""The task worker outlives its database connection: after PostgreSQL drops it (a restart, a
failover, an administrator's pg_terminate_backend) the worker reconnects by itself and runs the
next task, rather than exiting or idling forever."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learners.tasks import certificate_issued_notify

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend"),
]


def _database_url() -> str:
    params = connection.settings_dict
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    host = f"{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{params['NAME']}"


def _wait_until_done(result_id: str, *, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = DBTaskResult.objects.get(pk=result_id).status
        if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
            return status
        time.sleep(0.2)
    return DBTaskResult.objects.get(pk=result_id).status


def _maintenance(*statements: str, params: tuple = ()) -> int:
    """Run statements from the server's maintenance database: PostgreSQL will not close the
    test database to connections from inside it."""
    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    ) as maintenance:
        rows = 0
        for statement in statements:
            rows = maintenance.execute(statement, params if "%s" in statement else ()).rowcount
        return rows


def _database_down() -> int:
    """The database goes away for the worker, as in a restart: its connection is dropped and
    new ones are refused. This test's own connection stays (the suite shares the server)."""
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        mine = cursor.fetchone()[0]
    return _maintenance(
        f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
        params=(connection.settings_dict["NAME"], mine),
    )


def _database_up() -> None:
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    _maintenance(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")


def test_worker_reconnects_after_its_database_connection_is_dropped(database_tasks, tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "TASKS_BACKEND"}
    } | {
        # As in production: debug off (the worker used to exit), a persistent connection.
        "DJANGO_SETTINGS_MODULE": "lentera.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "reconnect-test-key-" + "x" * 40,
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "600",
        "EMAIL_URL": "consolemail://",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - the project's own manage.py
        [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.2",
            "--worker-id=reconnect-test",
        ],
        env=environment,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Certificate 0 does not exist: the task ends at once, successfully.
        first = certificate_issued_notify.enqueue(certificate_id=0)
        assert _wait_until_done(first.id) == TaskResultStatus.SUCCESSFUL
        try:
            assert _database_down() >= 1
            second = certificate_issued_notify.enqueue(certificate_id=0)
            # The worker keeps trying meanwhile (and, before the fix, died of it).
            time.sleep(5)
            assert DBTaskResult.objects.get(pk=second.id).status == TaskResultStatus.READY
        finally:
            _database_up()
        assert _wait_until_done(second.id) == TaskResultStatus.SUCCESSFUL, (
            tmp_path / "worker.log"
        ).read_text()
        assert worker.poll() is None, "the worker exited"
        assert DBTaskResult.objects.get(pk=second.id).worker_ids == ["reconnect-test"]
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()

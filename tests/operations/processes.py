"""Several processes on one database, one Redis and one media store, as on several machines.

The test's own database is handed to other processes: on PostgreSQL by its name (a
transactional test commits what it builds), on SQLite by copying the in-memory test database
into a file with SQLite's online backup. Each pytest-xdist worker takes a Redis database of its
own (15, 14, ...) and flushes only that one.
"""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

MANAGE = Path(settings.BASE_DIR) / "manage.py"
REDIS_HOST = os.environ.get("LENTERA_TEST_REDIS_HOST", "127.0.0.1:6379")


def redis_test_url() -> str:
    """The Redis database this test process may flush: 15 for the first xdist worker, then 14..."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(re.sub(r"\D", "", worker) or 0) % 8
    return f"redis://{REDIS_HOST}/{15 - number}"


def redis_flushed(url: str) -> redis.Redis:
    """A client of the test's Redis database, emptied. Fails (never skips) when Redis is down:
    CI and `make test` machines run one (README, "Running the tests")."""
    client = redis.Redis.from_url(url)
    client.flushdb()
    return client


def shared_database_url(tmp_path: Path) -> str:
    """A DATABASE_URL other processes can open, holding what the test committed so far."""
    if connection.vendor == "sqlite":
        target = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    params = connection.settings_dict
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    host = f"{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{params['NAME']}"


def process_env(**variables: str) -> dict:
    """The environment of a Lentera process under the base settings (as `make run` and a
    server start them), with `variables` on top."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "TASKS_", "EMAIL_", "LENTERA_"))
        and key not in {"MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "MEDIA_URL"}
    }
    return environment | {
        "DJANGO_SETTINGS_MODULE": "lentera.settings.base",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LOG_LEVEL": "WARNING",
        **variables,
    }


def manage(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `manage.py` in a process of its own; fails the test with its output on an error."""
    result = subprocess.run(  # noqa: S603 - the project's own manage.py
        [sys.executable, str(MANAGE), *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def shared_rows(database_url: str, sql: str) -> list[tuple]:
    """Rows of the shared database as the other processes left it (the SQLite copy, or the
    PostgreSQL test database itself)."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as shared:
            return shared.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def rq_worker_env(tmp_path: Path, redis_url: str, *, email_url: str, **variables: str) -> dict:
    """The environment of an rq worker on the queue at `redis_url` and the test's database."""
    return process_env(
        DATABASE_URL=shared_database_url(tmp_path),
        REDIS_URL=redis_url,
        TASKS_BACKEND="core.task_rq.RQBackend",
        EMAIL_URL=email_url,
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private-media"),
        **variables,
    )


def rqworker(env: dict) -> None:
    """One burst of `manage.py rqworker default --with-scheduler`: the retries whose time has
    come are moved to the queue, every queued job runs, then the worker exits."""
    manage("rqworker", "default", "--burst", "--with-scheduler", env=env)


@pytest.fixture
def rq_queue(settings):
    """Tasks go to the queue on Redis (a Redis database of this test's own, emptied)."""
    url = redis_test_url()
    client = redis_flushed(url)
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "core.task_rq.RQBackend"}}
    settings.LENTERA_TASK_MAX_ATTEMPTS = 3
    settings.LENTERA_TASK_RETRY_DELAY = 1
    yield url
    client.flushdb()

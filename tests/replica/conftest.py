"""The real read replica for tests/replica: a streaming standby of the PostgreSQL the suite runs
on. DATABASE_REPLICA_URL names one, or `operations/replica.sh` starts one on the port of the
test settings' `replica` alias (5433). The suite's other tests never reach it (the test settings
have no router, and the alias mirrors the primary's test database).

The test database (test_<name>) lives on the primary and reaches the replica by streaming like
any other; the tests commit (transaction=True), and the `replica` fixture points the `replica`
connection at the same database name on the replica server. They pause the replica's replay,
which is cluster-wide: a lock file keeps parallel test workers from overlapping, and replay is
always resumed when a test ends.
"""

import fcntl
import os
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import load_backend

from core.replica import REPLICA, health

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "operations" / "replica.sh"
ROUTER = "core.replica.ReplicaRouter"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the read replica is PostgreSQL streaming replication: run the suite with "
        "DATABASE_URL=postgres://... (SQLite has no replica)",
    ),
]


def _connect(conf: dict, dbname: str) -> psycopg.Connection:
    return psycopg.connect(
        host=conf["HOST"] or "127.0.0.1",
        port=int(conf["PORT"] or 5432),
        user=conf["USER"] or None,
        password=conf["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
        connect_timeout=10,
    )


class Replica:
    """Control of the replica server: its replay, and waiting for it to catch up."""

    def __init__(self, conf: dict):
        self.conf = conf
        self.control = _connect(conf, "postgres")
        self.primary = _connect(django_settings.DATABASES["default"], "postgres")

    def close(self):
        self.control.close()
        self.primary.close()

    def value(self, sql: str, params=()):
        return self.control.execute(sql, params).fetchone()[0]

    def pause(self):
        """Stop replay once the replica has everything written so far (the test's own data,
        made by fixtures after `replica`'s wait, included): only later writes lag."""
        self.caught_up()
        self.control.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 30
        while self.value("SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "the replica's replay did not pause"
            time.sleep(0.05)

    def resume(self):
        self.control.execute("SELECT pg_wal_replay_resume()")

    def caught_up(self, timeout: float = 60) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        target = self.primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        while not self.value("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
            assert time.monotonic() < deadline, f"the replica did not replay up to {target}"
            time.sleep(0.05)


@pytest.fixture(scope="session")
def replica_server():
    """The replica server's connection settings (the test settings' `replica` alias), started
    by operations/replica.sh unless DATABASE_REPLICA_URL names a running one."""
    conf = dict(django_settings.DATABASES["replica"])
    if not os.environ.get("DATABASE_REPLICA_URL"):
        primary = django_settings.DATABASES["default"]
        started = subprocess.run(  # noqa: S603
            ["bash", str(SCRIPT), "start"],  # noqa: S607
            env={
                **os.environ,
                "PRIMARY_HOST": primary["HOST"] or "127.0.0.1",
                "PRIMARY_PORT": str(primary["PORT"] or 5432),
                "PRIMARY_USER": primary["USER"] or "postgres",
                "REPLICA_PORT": str(conf["PORT"]),
            },
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert started.returncode == 0, f"operations/replica.sh start failed:\n{started.stderr}"
    server = Replica(conf)
    try:
        assert server.value("SELECT pg_is_in_recovery()"), (
            f"{conf['HOST']}:{conf['PORT']} is not a standby: DATABASE_REPLICA_URL must name a "
            "streaming replica of DATABASE_URL's server"
        )
        yield server
    finally:
        server.close()


@pytest.fixture
def replica(replica_server, settings):
    """The router on, the `replica` connection on the real replica (the test database's name),
    the replica caught up with the primary; replay resumed whatever happens. Fixtures set up
    after this one write after that wait: a test that reads their rows from the replica calls
    `caught_up()` first (`pause()` does)."""
    lock = open(f"/tmp/lentera-replica-{replica_server.conf['PORT']}.tests.lock", "w")  # noqa: SIM115, S108
    fcntl.flock(lock, fcntl.LOCK_EX)
    replica_connection = connections["replica"]
    mirror = replica_connection.settings_dict
    replica_connection.close()
    replica_connection.settings_dict = {
        **replica_server.conf,
        "NAME": connections["default"].settings_dict["NAME"],
    }
    settings.DATABASE_ROUTERS = [ROUTER]
    try:
        replica_server.resume()
        replica_server.caught_up()
        yield replica_server
    finally:
        replica_server.resume()
        replica_connection.close()
        replica_connection.settings_dict = mirror
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


@pytest.fixture(autouse=True)
def _replica_health_forgotten():
    """Each test starts (and leaves) with no replica marked down in this process."""
    health.forget()
    yield
    health.forget()


@pytest.fixture
def point_replica(django_db_blocker):
    """`point_replica(alias=REPLICA, **conf)`: this thread's connection of a replica alias on
    another database for the test, any backend (the router's tests on SQLite, where the suite
    has no `replica` alias); the connections there before come back afterwards."""
    before = {}
    made = []

    def point(alias=REPLICA, **conf):
        if alias not in before:
            before[alias] = getattr(connections._connections, alias, None)
        settings_dict = {**connections[DEFAULT_DB_ALIAS].settings_dict, "OPTIONS": {}, **conf}
        wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
        setattr(connections._connections, alias, wrapper)
        made.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        try:
            yield point
        finally:
            for wrapper in made:
                wrapper.close()
            for alias, wrapper in before.items():
                if wrapper is not None:
                    setattr(connections._connections, alias, wrapper)
                else:
                    delattr(connections._connections, alias)

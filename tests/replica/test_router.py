"""The router's and the middleware's rules on their own (any database: no real replica is
reached; the `replica` connection is an in-memory SQLite that connects, or a PostgreSQL address
that does not answer). tests/replica/test_replica.py proves them against the real replica."""

import socket
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections, transaction
from django.http import HttpResponse

from core.replica import (
    REPLICA,
    ReplicaMiddleware,
    ReplicaRouter,
    RequestState,
    health,
    serving,
    statement_writes,
)
from learners.factories import UserFactory
from learners.models import LessonCompletion, User

router = ReplicaRouter()

UP = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}


def postgres_at(port: int) -> dict:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "lentera",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": port,
        "OPTIONS": {"connect_timeout": 2},
    }


def closed_port() -> int:
    """A local port nobody listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def replica_up(point_replica):
    return point_replica(**UP)


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "learners_lessoncompletion" ("enrollment_id") VALUES (%s)',
        'UPDATE "learners_enrollment" SET "progress" = 1',
        '  DELETE FROM "learners_enrollment" WHERE id = 1',
        'WITH moved AS (DELETE FROM "a" RETURNING *) INSERT INTO "b" SELECT * FROM moved',
        'TRUNCATE "learners_enrollment"',
        'COPY "learners_enrollment" FROM STDIN',
        "CALL refresh_everything()",  # unknown statements count as writes
    ],
)
def test_statements_that_write(sql):
    assert statement_writes(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "learners_user"."id" FROM "learners_user"',
        "(SELECT 1) UNION (SELECT 2)",
        "WITH recent AS (SELECT 1) SELECT * FROM recent",
        'SELECT "x" FROM "learners_enrollment" FOR UPDATE',
        'SAVEPOINT "s1"',
        'RELEASE SAVEPOINT "s1"',
        "SET TIME ZONE 'UTC'",
        "SHOW server_version",
        "",
    ],
)
def test_statements_that_do_not_write(sql):
    assert not statement_writes(sql)


def test_writes_to_tables_read_only_from_the_primary_do_not_pin():
    tables = frozenset({"django_session"})
    assert not statement_writes('UPDATE "django_session" SET "session_data" = %s', tables)
    assert not statement_writes('INSERT INTO "django_session" VALUES (%s)', tables)
    assert statement_writes('INSERT INTO "learners_lessoncompletion" VALUES (%s)', tables)


def test_outside_a_request_every_read_goes_to_the_primary():
    assert router.db_for_read(LessonCompletion) == "default"


def test_a_safe_request_reads_the_replica_and_writes_the_primary(replica_up):
    with serving(RequestState(safe=True)):
        assert router.db_for_read(LessonCompletion) == REPLICA
        assert router.db_for_write(LessonCompletion) == "default"


@pytest.mark.parametrize(
    "state",
    [
        RequestState(safe=False),  # POST, PUT, DELETE…, or a primary path
        RequestState(safe=True, wrote=True),  # after the request's first write
        RequestState(safe=True, pin_lsn=""),  # pinned, its write's position unknown
    ],
)
def test_these_requests_read_the_primary(state):
    with serving(state):
        assert router.db_for_read(LessonCompletion) == "default"


def test_sessions_are_read_from_the_primary(replica_up):
    with serving(RequestState(safe=True, primary_models=frozenset({"sessions.session"}))):
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(User) == REPLICA


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary():
    # (The test itself runs in a transaction: outside one, see the safe request above.)
    with serving(RequestState(safe=True)), transaction.atomic():
        assert router.db_for_read(LessonCompletion) == "default"
        assert router.db_for_write(LessonCompletion) == "default"


@pytest.mark.django_db
def test_migrations_only_on_the_primary_and_relations_across_both():
    assert router.allow_migrate("default", "learners")
    assert not router.allow_migrate(REPLICA, "learners")
    one, other = UserFactory.build(), UserFactory.build()
    one._state.db, other._state.db = "default", REPLICA
    assert router.allow_relation(one, other)
    other._state.db = "elsewhere"
    assert router.allow_relation(one, other) is None


def test_the_middleware_steps_aside_without_the_router(settings):
    settings.DATABASE_ROUTERS = []
    with pytest.raises(MiddlewareNotUsed):
        ReplicaMiddleware(lambda request: HttpResponse())


def test_a_replica_that_refuses_connections_leaves_reads_to_the_primary_for_a_while(
    point_replica, settings
):
    settings.LENTERA_REPLICA_RETRY_SECONDS = 1
    point_replica(**postgres_at(closed_port()))
    with serving(RequestState(safe=True)):
        assert router.db_for_read(LessonCompletion) == "default"
        assert router.db_for_read(User) == "default"  # the request's verdict, asked once
    assert health.is_down(REPLICA)

    # Up again (here: another database that connects), but still inside the retry time: the
    # process does not try it, every request reads the primary.
    point_replica(**UP)
    with serving(RequestState(safe=True)):
        assert router.db_for_read(LessonCompletion) == "default"
    assert connections[REPLICA].connection is None  # not even tried

    # After the retry time, the next request tries it, and reads it.
    time.sleep(1.1)
    with serving(RequestState(safe=True)):
        assert router.db_for_read(LessonCompletion) == REPLICA
    assert not health.is_down(REPLICA)


def test_a_replica_that_does_not_answer_is_given_up_after_the_connect_timeout(point_replica):
    """A host that takes the connection and says nothing (as one dropping packets, whose
    connect never completes): the worker waits connect_timeout (2 s), not forever."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        point_replica(**postgres_at(silent.getsockname()[1]))
        started = time.monotonic()
        with serving(RequestState(safe=True)):
            assert router.db_for_read(LessonCompletion) == "default"
        waited = time.monotonic() - started
    assert 1.5 < waited < 6, waited
    assert health.is_down(REPLICA)


def test_a_pinned_client_whose_write_position_is_unknown_does_not_reach_for_the_replica(
    point_replica,
):
    point_replica(**postgres_at(closed_port()))
    with serving(RequestState(safe=True, pin_lsn="")):
        assert router.db_for_read(LessonCompletion) == "default"
    assert not health.is_down(REPLICA)


def test_several_replicas_take_turns_and_one_that_is_down_is_skipped(point_replica, settings):
    settings.LENTERA_REPLICA_ALIASES = [REPLICA, "replica_2"]
    point_replica(REPLICA, **UP)
    point_replica("replica_2", **UP)

    def read_by_one_request():
        with serving(RequestState(safe=True)):
            return router.db_for_read(LessonCompletion)

    assert {read_by_one_request(), read_by_one_request()} == {REPLICA, "replica_2"}

    # `replica` down: every request reads `replica_2`, the first one to pick `replica` marks it.
    point_replica(REPLICA, **postgres_at(closed_port()))
    assert [read_by_one_request() for _ in range(4)] == ["replica_2"] * 4
    assert health.is_down(REPLICA) and not health.is_down("replica_2")

    # Both down: the primary.
    point_replica("replica_2", **postgres_at(closed_port()))
    assert [read_by_one_request() for _ in range(2)] == ["default"] * 2
    assert health.is_down("replica_2")


def test_a_relation_across_any_two_of_the_primary_and_the_replicas(settings):
    settings.LENTERA_REPLICA_ALIASES = [REPLICA, "replica_2"]
    one, other = UserFactory.build(), UserFactory.build()
    one._state.db, other._state.db = REPLICA, "replica_2"
    assert router.allow_relation(one, other)

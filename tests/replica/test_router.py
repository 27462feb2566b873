"""The router's and the middleware's rules on their own (any database: no replica is reached).
tests/replica/test_replica.py proves them against the real replica."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from django.http import HttpResponse

from core.replica import (
    REPLICA,
    ReplicaMiddleware,
    ReplicaRouter,
    RequestState,
    serving,
    statement_writes,
)
from learners.factories import UserFactory
from learners.models import LessonCompletion, User

router = ReplicaRouter()


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


def test_a_safe_request_reads_the_replica_and_writes_the_primary():
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


def test_sessions_are_read_from_the_primary(settings):
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

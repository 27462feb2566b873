"""The read replica (README, "Read replica"): a database router and its middleware.

Where a query goes:
- every write, to the primary (`default`);
- a read, to a replica (`replica`, `replica_2`…: LENTERA_REPLICA_ALIASES, one per URL of
  DATABASE_REPLICA_URLS; a request reads one, the process's next request the next one) only
  inside a request that the middleware found safe: a GET, HEAD or OPTIONS outside the admin
  and the account pages, of a client not pinned to the primary, that has written nothing yet
  and is not inside a transaction (`atomic`). Everything else reads the primary: other
  methods, reads after the request's first write, reads in a transaction, sessions
  (PRIMARY_MODELS), and all code outside a request (tasks, commands, the shell), which never
  sees the middleware's state;
- migrations, only on the primary.

Read-your-writes: a request that wrote answers with a short signed cookie holding the primary's
WAL position right after the write (`pg_current_wal_lsn()`). While a client sends it back, its
safe requests first ask their replica how far it has replayed (`pg_last_wal_replay_lsn()`, one
query, made only when the request reads): behind the write, the request reads the primary;
past it, the replica, and the cookie is deleted. That is exact whatever the lag, where a pin of
a fixed time is either too long (primary load) or too short (a lagging replica shows a learner
without their completion). The cookie also lapses after LENTERA_REPLICA_PIN_SECONDS: the
longest lag hidden from a writer; a replica further behind than that is out of service.

A replica that is down: the request's first read that would go to a replica first makes sure
its connection is up (`ensure_connection()`, after Django's health check of a persistent one:
the connection the read would open anyway, so no extra round trip when the replica is up).
When it cannot connect (refused, or no answer within LENTERA_REPLICA_CONNECT_TIMEOUT seconds),
the process marks the replica down for LENTERA_REPLICA_RETRY_SECONDS and the request takes the
next replica; with none left, the whole request reads the primary. Meanwhile the process's
requests skip that replica; after that time the next request to pick it tries it again. A
replica lost in the middle of a request fails that request's reads sent to it; the next
request finds it down.

The per-request state lives in a context variable: each thread, and each asyncio task, has
its own; the replica's health is the process's, shared by its threads.
"""

import itertools
import re
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_COOKIE_SALT = "lentera.replica.pin"
# Statements that write nothing; anything else on the primary counts as a write (unknown
# statements included: a needless pin costs a few primary reads, a missed one a stale page).
_READ_STATEMENTS = frozenset(
    {"SELECT", "SHOW", "SET", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "EXPLAIN"}
)
_WRITE_WORDS = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_WRITTEN_TABLE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE
)


def _primary_models() -> frozenset[str]:
    return frozenset(label.lower() for label in settings.LENTERA_REPLICA_PRIMARY_MODELS)


def _primary_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(apps.get_model(label)._meta.db_table for label in _primary_models())


@dataclass
class RequestState:
    """What the router needs to know about the request being served."""

    safe: bool  # a safe method outside LENTERA_REPLICA_PRIMARY_PATHS
    pin_lsn: str | None = None  # the client's last write, from its cookie ("" = position unknown)
    wrote: bool = False
    primary_models: frozenset[str] = field(default_factory=frozenset)  # "app_label.model"
    primary_tables: frozenset[str] = field(default_factory=frozenset)
    replica: str | None = None  # the replica this request reads, once chosen
    _replica_ok: bool | None = None

    def replica_ok(self) -> bool:
        """Whether this request's reads may go to a replica, `self.replica` (asked once per
        request)."""
        if self._replica_ok is None:
            if self.safe and (self.pin_lsn is None or self.pin_lsn):
                self.replica = choose_replica()
            self._replica_ok = self.replica is not None and (
                self.pin_lsn is None or replica_has_replayed(self.pin_lsn, self.replica)
            )
        return self._replica_ok

    @property
    def pin_over(self) -> bool:
        """The client's pin may go: the replica has replayed its write (known only if asked)."""
        return self.pin_lsn is not None and self._replica_ok is True

    def watch(self, execute, sql, params, many, context):
        """execute_wrapper on the primary: note the request's first write. A statement that
        changed no row (an UPDATE whose rows were already up to date) wrote nothing."""
        result = execute(sql, params, many, context)
        if (
            not self.wrote
            and statement_writes(sql, self.primary_tables)
            and context["cursor"].rowcount != 0
        ):
            self.wrote = True
        return result


_state: ContextVar[RequestState | None] = ContextVar("lentera_replica_request", default=None)


@contextmanager
def serving(state: RequestState):
    """Route this thread's (or task's) queries by `state` for the block: the middleware's
    request, or a test's."""
    token = _state.set(state)
    try:
        yield state
    finally:
        _state.reset(token)


def statement_writes(sql: str, primary_tables: frozenset[str] = frozenset()) -> bool:
    """Whether an SQL statement may write what a later read from the replica would miss.
    Writes to tables read only from the primary (sessions) do not count."""
    words = sql.lstrip(" \t\n(").split(None, 1)
    if not words:
        return False
    first = words[0].upper()
    if first == "WITH":
        return bool(_WRITE_WORDS.search(sql))
    if first in _READ_STATEMENTS:
        return False
    table = _WRITTEN_TABLE.match(sql)
    return not (table and table.group(1) in primary_tables)


class ReplicaHealth:
    """Until when this process leaves a replica alone after it failed to connect (all threads)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._down_until: dict[str, float] = {}

    def is_down(self, alias: str) -> bool:
        with self._lock:
            return time.monotonic() < self._down_until.get(alias, 0.0)

    def mark_down(self, alias: str) -> None:
        with self._lock:
            self._down_until[alias] = time.monotonic() + settings.LENTERA_REPLICA_RETRY_SECONDS

    def forget(self) -> None:
        with self._lock:
            self._down_until.clear()


health = ReplicaHealth()
_turns = itertools.count()  # next() is atomic: threads take turns without a lock


def replica_aliases() -> tuple[str, ...]:
    return tuple(settings.LENTERA_REPLICA_ALIASES)


def choose_replica() -> str | None:
    """The replica for a request: the process's replicas in turn, starting one further at each
    request; the first not marked down whose connection is up. None when none is."""
    aliases = replica_aliases()
    if not aliases:
        return None
    start = next(_turns) % len(aliases)
    for alias in aliases[start:] + aliases[:start]:
        if replica_available(alias):
            return alias
    return None


def replica_available(alias: str) -> bool:
    """Whether reads may go to the replica: not marked down, and this thread's connection to it
    is up (opened now if need be). A failure to connect marks it down (module docstring)."""
    if health.is_down(alias):
        return False
    connection = connections[alias]
    try:
        # A persistent connection that died since the last request: closed here (Django's
        # CONN_HEALTH_CHECKS, done once per request), then opened again, or not.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        health.mark_down(alias)
        return False
    return True


def replica_has_replayed(lsn: str, alias: str = REPLICA) -> bool:
    """Whether the replica has replayed the primary's WAL up to `lsn`. A replica that cannot
    answer (down, or not a standby) has not: the reader goes to the primary."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            (replayed,) = cursor.fetchone()
    except DatabaseError:
        return False
    return bool(replayed)


def primary_wal_position() -> str:
    """The primary's WAL position now: after a committed write, at or past its commit record.
    Empty when it cannot be read (the pin then lasts its full time)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block or connection.needs_rollback:
        return ""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        return ""


class ReplicaRouter:
    """Reads of safe requests to the replica, all else to the primary (module docstring)."""

    def db_for_read(self, model, **hints):
        state = _state.get()
        if (
            state is None
            or state.wrote
            or model._meta.label_lower in state.primary_models
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or not state.replica_ok()
        ):
            return DEFAULT_DB_ALIAS
        return state.replica

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may point at one read
        # from the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, *replica_aliases()}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Decides per request whether reads may go to the replica, watches the primary for
    writes, and pins a client that wrote to the primary until the replica has its write."""

    def __init__(self, get_response):
        # The router is the switch: without it (no DATABASE_REPLICA_URL, or the test suite's
        # settings) the middleware steps aside.
        if REPLICA not in settings.DATABASES or not any(
            isinstance(each, ReplicaRouter) for each in router.routers
        ):
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.cookie_name = settings.LENTERA_REPLICA_COOKIE_NAME
        self.pin_seconds = settings.LENTERA_REPLICA_PIN_SECONDS
        self.primary_paths = tuple(settings.LENTERA_REPLICA_PRIMARY_PATHS)
        self.primary_models = _primary_models()
        self.primary_tables = _primary_tables()

    def __call__(self, request):
        state = RequestState(
            safe=request.method in SAFE_METHODS
            and not request.path_info.startswith(self.primary_paths),
            pin_lsn=self.pin_read(request),
            primary_models=self.primary_models,
            primary_tables=self.primary_tables,
        )
        with serving(state), connections[DEFAULT_DB_ALIAS].execute_wrapper(state.watch):
            response = self.get_response(request)
            lsn = primary_wal_position() if state.wrote else None
        if lsn is not None:
            response.set_signed_cookie(
                self.cookie_name,
                lsn,
                salt=_COOKIE_SALT,
                max_age=self.pin_seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif state.pin_over:
            response.delete_cookie(self.cookie_name, samesite="Lax")
        return response

    def pin_read(self, request) -> str | None:
        """The WAL position of the client's last write while its pin lasts, else None."""
        try:
            return request.get_signed_cookie(
                self.cookie_name, default=None, salt=_COOKIE_SALT, max_age=self.pin_seconds
            )
        except signing.BadSignature:
            return None

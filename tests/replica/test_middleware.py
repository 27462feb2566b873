"""The middleware's request handling on any database, SQLite included: the router on, the
`replica` connection an in-memory SQLite holding a users table with other rows than the
primary's, so a response shows which database answered its reads. What needs PostgreSQL (the
WAL positions, the replica's replay) is proved by tests/replica/test_replica.py; here its
SQLite-reachable answers: a write position that cannot be read, a replay that cannot be asked."""

import socket
import time
import warnings

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from core.replica import _COOKIE_SALT, REPLICA, ReplicaMiddleware, health
from learners.factories import UserFactory
from learners.models import User

pytestmark = pytest.mark.django_db(transaction=True)

ROUTER = "core.replica.ReplicaRouter"
COOKIE = "lentera_primary"
ON_REPLICA = "replika@lentera.go.id"
ON_PRIMARY = "primer@lentera.go.id"


def emails() -> str:
    return ",".join(User.objects.order_by("email").values_list("email", flat=True))


def list_users(request):
    return HttpResponse(emails())


def signed_pin(value: str) -> str:
    """A pin cookie as the middleware signs it (its salt, the site's key, now's timestamp)."""
    return signing.get_cookie_signer(salt=COOKIE + _COOKIE_SALT).sign(value)


class Served:
    """The queries each database answered during a block."""

    def __enter__(self):
        self._primary = CaptureQueriesContext(connections["default"])
        self._replica = CaptureQueriesContext(connections[REPLICA])
        self._primary.__enter__()
        self._replica.__enter__()
        return self

    def __exit__(self, *exc):
        self._replica.__exit__(*exc)
        self._primary.__exit__(*exc)
        self.primary = [query["sql"] for query in self._primary.captured_queries]
        self.replica = [query["sql"] for query in self._replica.captured_queries]


@pytest.fixture
def replica_db(point_replica, settings):
    """The router on, a `replica` alias in DATABASES (the middleware's switch), its connection
    an in-memory SQLite with one user, ON_REPLICA; the primary has one other, ON_PRIMARY."""
    settings.DATABASE_ROUTERS = [ROUTER]
    replica = point_replica(NAME=":memory:", ENGINE="django.db.backends.sqlite3")
    with replica.schema_editor() as editor:
        editor.create_model(User)
    replica.disable_constraint_checking()  # the users' foreign tables exist on the primary only
    User.objects.db_manager(REPLICA).create(email=ON_REPLICA, full_name="Di Replika")
    UserFactory(email=ON_PRIMARY)
    databases = {
        **settings.DATABASES,
        REPLICA: {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    }
    overridden = override_settings(DATABASES=databases)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Overriding setting DATABASES")
        overridden.enable()
    try:
        yield replica
    finally:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Overriding setting DATABASES")
            overridden.disable()


def rename_primary_user(request):
    User.objects.filter(email=ON_PRIMARY).update(full_name="Nama Baru")
    return HttpResponse(emails())


def serve(view, request):
    return ReplicaMiddleware(view)(request)


def test_a_safe_request_of_a_client_not_pinned_reads_the_replica(replica_db, rf):
    with Served() as served:
        response = serve(list_users, rf.get("/kursus/"))
    assert response.content.decode() == ON_REPLICA
    assert len(served.replica) == 1 and served.primary == []
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_methods_read_the_primary_and_pin_nobody_when_they_write_nothing(
    replica_db, rf, method
):
    with Served() as served:
        response = serve(list_users, getattr(rf, method)("/kursus/"))
    assert response.content.decode() == ON_PRIMARY
    assert served.replica == []
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/accounts/login/", "/en/accounts/"])
def test_the_admin_and_account_pages_read_the_primary(replica_db, rf, path):
    with Served() as served:
        response = serve(list_users, rf.get(path))
    assert response.content.decode() == ON_PRIMARY
    assert served.replica == []


def test_a_write_pins_the_client_with_a_signed_cookie_and_its_next_gets_read_the_primary(
    replica_db, rf
):
    def rename(request):
        # (An UPDATE: SQLite reports an INSERT ... RETURNING's rowcount only once its rows are
        # fetched, after the middleware looked; PostgreSQL, the only replicated database,
        # reports it at once.)
        User.objects.filter(email=ON_PRIMARY).update(full_name="Nama Baru")
        return HttpResponse(emails())

    with Served() as served:
        response = serve(rename, rf.post("/profil/"))
    assert response.content.decode() == ON_PRIMARY
    assert served.replica == []
    assert "pg_current_wal_lsn" in served.primary[-1]  # asked after the write (fails: SQLite)
    pin = response.cookies[COOKIE]
    assert pin["httponly"] and pin["samesite"] == "Lax" and pin["max-age"] == 300
    assert not pin["secure"]  # SESSION_COOKIE_SECURE of the test settings
    # On SQLite the primary has no WAL position: the pin holds "" (position unknown), signed.
    request = rf.get("/saya/")
    request.COOKIES[COOKIE] = pin.value
    assert request.get_signed_cookie(COOKIE, salt=_COOKIE_SALT) == ""

    # The client's next GET: pinned with an unknown position, it reads the primary and does
    # not even ask the replica; the pin stays (not deleted, not renewed) for its full time.
    with Served() as served:
        response = serve(list_users, request)
    assert response.content.decode() == ON_PRIMARY
    assert served.replica == []
    assert COOKIE not in response.cookies


def test_a_pin_whose_replay_the_replica_cannot_answer_reads_the_primary_and_stays(replica_db, rf):
    """A pin with a WAL position on a replica that is no PostgreSQL standby (here SQLite): the
    replay check fails, so the replica has not got the write; the primary answers, and the
    cookie is kept for the next request."""
    request = rf.get("/saya/")
    request.COOKIES[COOKIE] = signed_pin("0/16B3748")
    with Served() as served:
        response = serve(list_users, request)
    assert response.content.decode() == ON_PRIMARY
    assert len(served.replica) == 1 and "pg_last_wal_replay_lsn" in served.replica[0]
    assert COOKIE not in response.cookies
    assert not health.is_down(REPLICA)  # it answered (an error): it is up


@pytest.mark.parametrize(
    "cookie",
    [
        signed_pin("0/16B3748")[:-1] + "x",  # the signature tampered with
        "0/16B3748",  # not signed at all
        signing.get_cookie_signer(salt=COOKIE + "other").sign("0/16B3748"),  # another salt
    ],
)
def test_a_forged_pin_is_ignored(replica_db, rf, cookie):
    request = rf.get("/saya/")
    request.COOKIES[COOKIE] = cookie
    with Served() as served:
        response = serve(list_users, request)
    assert response.content.decode() == ON_REPLICA
    assert served.primary == []
    assert COOKIE not in response.cookies


def test_an_expired_pin_is_ignored(replica_db, rf):
    with freeze_time(timezone.now() - timezone.timedelta(seconds=301)):
        old = signed_pin("0/16B3748")
    with freeze_time(timezone.now() - timezone.timedelta(seconds=290)):
        recent = signed_pin("0/16B3748")
    for cookie, reads in ((old, ON_REPLICA), (recent, ON_PRIMARY)):
        request = rf.get("/saya/")
        request.COOKIES[COOKIE] = cookie
        assert serve(list_users, request).content.decode() == reads


def test_a_get_that_writes_reads_the_primary_from_its_first_write_on_and_pins(replica_db, rf):
    primary_user = User.objects.get(email=ON_PRIMARY)
    seen = {}

    def view_that_writes(request):
        seen["before"] = emails()
        User.objects.filter(pk=primary_user.pk).update(full_name="Nama Baru")
        seen["after"] = emails()
        return HttpResponse()

    def view_that_changes_nothing(request):
        User.objects.filter(pk=primary_user.pk, full_name="Tidak Ada").update(full_name="Lain")
        seen["unchanged"] = emails()
        return HttpResponse()

    response = serve(view_that_writes, rf.get("/saya/"))
    assert seen == {"before": ON_REPLICA, "after": ON_PRIMARY}
    assert COOKIE in response.cookies

    response = serve(view_that_changes_nothing, rf.get("/saya/"))
    assert seen["unchanged"] == ON_REPLICA  # an UPDATE of no row wrote nothing
    assert COOKIE not in response.cookies


def test_a_session_write_does_not_pin_and_sessions_are_read_from_the_primary(replica_db, rf):
    def view_saving_a_session(request):
        Session.objects.create(session_key="k" * 32, session_data="", expire_date=timezone.now())
        sessions = Session.objects.count()  # the replica has no session table
        return HttpResponse(f"{sessions}:{emails()}")

    response = serve(view_saving_a_session, rf.get("/kursus/"))
    assert response.content.decode() == f"1:{ON_REPLICA}"
    assert COOKIE not in response.cookies


def test_a_replica_that_refuses_connections_leaves_the_request_to_the_primary(
    replica_db, point_replica, rf
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    point_replica(
        ENGINE="django.db.backends.postgresql",
        NAME="lentera",
        USER="postgres",
        HOST="127.0.0.1",
        PORT=closed_port,
        OPTIONS={"connect_timeout": 2},
    )
    started = time.monotonic()
    response = serve(list_users, rf.get("/kursus/"))
    assert response.status_code == 200 and response.content.decode() == ON_PRIMARY
    assert health.is_down(REPLICA)
    assert time.monotonic() - started < 5
    assert connections[REPLICA].connection is None


def test_a_write_in_a_transaction_still_open_pins_without_asking_the_primary(replica_db, rf):
    """The request's transaction still open when the response leaves (an outer `atomic`): its
    write is not committed, so there is no position to read yet; the pin holds "" and lasts
    its full time. Its reads all went to the primary (inside a transaction)."""
    with transaction.atomic(), Served() as served:
        response = serve(rename_primary_user, rf.post("/profil/"))
    assert response.content.decode() == ON_PRIMARY
    assert served.replica == []
    assert not any("pg_current_wal_lsn" in sql for sql in served.primary)
    request = rf.get("/saya/")
    request.COOKIES[COOKIE] = response.cookies[COOKIE].value
    assert request.get_signed_cookie(COOKIE, salt=_COOKIE_SALT) == ""


def test_without_any_replica_alias_every_read_goes_to_the_primary(replica_db, rf, settings):
    settings.LENTERA_REPLICA_ALIASES = []
    with Served() as served:
        response = serve(list_users, rf.get("/kursus/"))
    assert response.content.decode() == ON_PRIMARY
    assert served.replica == []

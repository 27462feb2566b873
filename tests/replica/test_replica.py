"""Against the real streaming replica (tests/replica/conftest.py): which database serves each
request, and read-your-writes while the replica lags (its replay paused)."""

import re
import socket
import time

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.replica import REPLICA, ReplicaMiddleware, health
from courses.models import LessonPage
from learners.factories import EnrollmentFactory, UserFactory
from learners.models import LessonCompletion, User

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the read replica is PostgreSQL streaming replication: run the suite with "
        "DATABASE_URL=postgres://... (SQLite has no replica)",
    ),
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "replica"]
    ),
]

COOKIE = "lentera_primary"


class Served:
    """The queries each database answered during a block."""

    def __enter__(self):
        self._primary = CaptureQueriesContext(connections["default"])
        self._replica = CaptureQueriesContext(connections["replica"])
        self._primary.__enter__()
        self._replica.__enter__()
        return self

    def __exit__(self, *exc):
        self._replica.__exit__(*exc)
        self._primary.__exit__(*exc)
        self.primary = [query["sql"] for query in self._primary.captured_queries]
        self.replica = [query["sql"] for query in self._replica.captured_queries]

    @property
    def primary_apart_from_sessions(self):
        return [sql for sql in self.primary if '"django_session"' not in sql]

    @property
    def replica_apart_from_pin_check(self):
        return [sql for sql in self.replica if "pg_last_wal_replay_lsn" not in sql]


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def mark_as_done_offered(html: str, lesson) -> bool:
    return f"/pelajaran/{lesson.pk}/selesai/" in html


def progress_percent(html: str, enrollment) -> int:
    match = re.search(rf'id="progress-{enrollment.pk}"[^>]*value="(\d+)"', html)
    assert match, f"no progress bar of enrollment {enrollment.pk} on my learning"
    return int(match.group(1))


@pytest.fixture
def learners(course_a):
    """Learners A and B, both enrolled in a course of four lessons, nothing done yet."""
    a = UserFactory(email="a@lentera.go.id")
    b = UserFactory(email="b@lentera.go.id")
    return {
        "a": a,
        "b": b,
        "enrollment_a": EnrollmentFactory(user=a, course=course_a),
        "enrollment_b": EnrollmentFactory(user=b, course=course_a),
        "lessons": lessons_of(course_a),
    }


def test_a_safe_read_of_a_learner_who_wrote_nothing_is_served_by_the_replica(
    replica, learners, course_a
):
    client, url = signed_in(learners["b"]), course_a.url
    replica.caught_up()
    with Served() as served:
        response = client.get(url)
    assert response.status_code == 200
    assert served.replica, "the course page read nothing from the replica"
    # The primary answers only the session (sessions are always read there).
    assert served.primary_apart_from_sessions == []
    assert COOKIE not in response.cookies


def test_a_post_is_served_by_the_primary_and_pins_the_client(replica, learners):
    client = signed_in(learners["a"])
    lesson = learners["lessons"][0]
    with Served() as served:
        response = client.post(f"/pelajaran/{lesson.pk}/selesai/")
    assert response.status_code == 302
    assert served.replica == []
    assert any(sql.startswith('INSERT INTO "learners_lessoncompletion"') for sql in served.primary)
    # The pin: the primary's WAL position after the write, signed.
    pin = response.cookies[COOKIE]
    assert re.fullmatch(r"[0-9A-F]+/[0-9A-F]+:.+", pin.value)
    assert pin["httponly"] and pin["max-age"] == 300


def test_a_learner_sees_their_own_completion_while_the_replica_lags(replica, learners):
    a, b = learners["a"], learners["b"]
    first = learners["lessons"][0]
    client_a = signed_in(a)
    replica.pause()
    try:
        response = client_a.post(f"/pelajaran/{first.pk}/selesai/")
        assert response.status_code == 302
        assert LessonCompletion.objects.filter(enrollment__user=a, lesson=first).exists()

        # A, pinned, reads the primary: the lesson is done and counted on "my learning". The
        # replica answers only the pin's question (has it replayed A's write? no).
        url = first.url
        with Served() as served:
            lesson_html = client_a.get(url).content.decode()
            my_learning = client_a.get("/saya/").content.decode()
        assert not mark_as_done_offered(lesson_html, first)
        assert progress_percent(my_learning, learners["enrollment_a"]) == 25
        assert served.replica_apart_from_pin_check == []
        assert served.primary_apart_from_sessions

        # The replica really lags: B's reads come from it, and it has no row of A's completion;
        # A on another device (no pin) still gets a stale "my learning" from it.
        client_b, a_elsewhere = signed_in(b), signed_in(a)
        with Served() as served:
            html = client_b.get("/saya/").content.decode()
        assert progress_percent(html, learners["enrollment_b"]) == 0
        assert served.replica and served.primary_apart_from_sessions == []
        assert not LessonCompletion.objects.using("replica").filter(enrollment__user=a).exists()
        with Served() as served:
            stale = a_elsewhere.get("/saya/").content.decode()
        assert progress_percent(stale, learners["enrollment_a"]) == 0
        assert served.replica and served.primary_apart_from_sessions == []
    finally:
        replica.resume()

    # Replayed: every reader of the replica sees A's completion.
    replica.caught_up()
    assert LessonCompletion.objects.using("replica").filter(enrollment__user=a).count() == 1
    with Served() as served:
        other_device = a_elsewhere.get("/saya/").content.decode()
    assert progress_percent(other_device, learners["enrollment_a"]) == 25
    assert served.replica and served.primary_apart_from_sessions == []


def test_the_pin_ends_once_the_replica_has_the_write(replica, learners):
    client = signed_in(learners["a"])
    first = learners["lessons"][0]
    replica.pause()
    try:
        client.post(f"/pelajaran/{first.pk}/selesai/")
        with Served() as served:
            response = client.get("/saya/")
        assert served.replica_apart_from_pin_check == []
        assert COOKIE not in response.cookies  # still pinned: the cookie stays as it is
    finally:
        replica.resume()
    replica.caught_up()

    # Caught up: the replica serves the page, and the pin goes.
    with Served() as served:
        response = client.get("/saya/")
    assert progress_percent(response.content.decode(), learners["enrollment_a"]) == 25
    assert served.replica_apart_from_pin_check
    assert served.primary_apart_from_sessions == []
    assert response.cookies[COOKIE].value == ""
    # Unpinned now: no question to the replica about the pin either.
    with Served() as served:
        client.get("/saya/")
    assert served.replica == served.replica_apart_from_pin_check != []
    assert served.primary_apart_from_sessions == []


def test_the_pin_lasts_at_most_its_time_even_if_the_replica_lags_longer(
    replica, learners, settings
):
    """LENTERA_REPLICA_PIN_SECONDS bounds the pin: a replica further behind than that is out of
    service, and this shows why (a writer then reads without their write)."""
    # The signed cookie's timestamp has whole seconds: 2 s leave the first read a second to
    # come, the wait below is past them whatever the fraction.
    settings.LENTERA_REPLICA_PIN_SECONDS = 2
    client = signed_in(learners["a"])
    first = learners["lessons"][0]
    replica.pause()
    try:
        client.post(f"/pelajaran/{first.pk}/selesai/")
        with Served() as served:
            html = client.get("/saya/").content.decode()
        assert progress_percent(html, learners["enrollment_a"]) == 25
        assert served.replica_apart_from_pin_check == []
        time.sleep(3.1)
        with Served() as served:
            html = client.get("/saya/").content.decode()
        assert served.replica and served.primary_apart_from_sessions == []
        assert progress_percent(html, learners["enrollment_a"]) == 0
    finally:
        replica.resume()


def test_account_pages_and_the_admin_read_the_primary(replica, learners, editor_a):
    anonymous, editor = Client(), signed_in(editor_a)
    replica.caught_up()
    with Served() as served:
        assert anonymous.get("/accounts/login/").status_code == 200
        assert editor.get("/admin/").status_code == 200
    assert served.replica == []
    assert served.primary_apart_from_sessions


def test_a_get_that_writes_reads_the_primary_from_its_first_write_on(replica, learners, rf):
    """A safe request may write (a view recording something): its reads after the write come
    from the primary, and it pins the client. An UPDATE that changed no row wrote nothing."""
    a = learners["a"]
    seen = {}

    def view_that_writes(request):
        seen["before"] = User.objects.get(pk=a.pk).full_name
        User.objects.filter(pk=a.pk).update(full_name="Nama Baru")
        seen["after"] = User.objects.get(pk=a.pk).full_name
        return HttpResponse()

    def view_that_changes_nothing(request):
        User.objects.filter(pk=a.pk, full_name="Tidak Ada").update(full_name="Nama Lain")
        seen["unchanged"] = User.objects.get(pk=a.pk).full_name
        return HttpResponse()

    replica.pause()
    try:
        with Served() as served:
            response = ReplicaMiddleware(view_that_writes)(rf.get("/saya/"))
        # The first read from the replica; the one after the write from the primary, which
        # has the write that the paused replica does not.
        assert seen == {"before": a.full_name, "after": "Nama Baru"}
        assert len(served.replica) == 1 and '"learners_user"' in served.replica[0]
        assert response.cookies[COOKIE].value

        with Served() as served:
            response = ReplicaMiddleware(view_that_changes_nothing)(rf.get("/saya/"))
        assert seen["unchanged"] == a.full_name  # from the replica, still paused
        assert len(served.replica) == 1
        assert COOKIE not in response.cookies
    finally:
        replica.resume()


def test_a_replica_that_is_down_leaves_the_gets_to_the_primary_until_it_is_back(
    replica, learners, course_a, settings
):
    """The replica's server gone (its address refuses connections): public and signed-in GETs
    still answer, from the primary, and the process leaves the replica alone for
    LENTERA_REPLICA_RETRY_SECONDS; back after that time, it serves the reads again."""
    settings.LENTERA_REPLICA_RETRY_SECONDS = 2
    replica_connection = connections[REPLICA]
    real = replica_connection.settings_dict
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    replica_connection.close()
    replica_connection.settings_dict = {
        **real,
        "PORT": closed_port,
        "OPTIONS": {**real["OPTIONS"], "connect_timeout": 2},
    }
    anonymous, learner = Client(), signed_in(learners["b"])
    try:
        # (Served would connect to the replica to watch it: the primary's queries only.)
        with CaptureQueriesContext(connections["default"]) as primary:
            assert anonymous.get(course_a.url).status_code == 200
            assert anonymous.get(learners["lessons"][0].url).status_code == 200
            response = learner.get("/saya/")
        assert response.status_code == 200
        assert progress_percent(response.content.decode(), learners["enrollment_b"]) == 0
        assert any('"learners_enrollment"' in query["sql"] for query in primary.captured_queries)
        assert replica_connection.connection is None  # nothing read there
        assert health.is_down(REPLICA)
    finally:
        replica_connection.close()
        replica_connection.settings_dict = real

    # The replica is back; inside the retry time the process still reads the primary.
    replica.caught_up()
    with Served() as served:
        assert anonymous.get(course_a.url).status_code == 200
    assert served.replica == [] and served.primary_apart_from_sessions

    time.sleep(2.1)
    with Served() as served:
        assert anonymous.get(course_a.url).status_code == 200
        assert learner.get("/saya/").status_code == 200
    assert served.replica
    assert served.primary_apart_from_sessions == []
    assert not health.is_down(REPLICA)


def test_with_two_replicas_one_down_the_reads_go_to_the_other(
    replica, point_replica, learners, course_a, settings
):
    """DATABASE_REPLICA_URLS with two replicas, the first one's server gone: every GET reads
    the other one."""
    settings.LENTERA_REPLICA_ALIASES = [REPLICA, "replica_2"]
    real = {**replica.conf, "NAME": connections["default"].settings_dict["NAME"]}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    point_replica(REPLICA, **{**real, "PORT": closed_port, "OPTIONS": {"connect_timeout": 2}})
    second = point_replica("replica_2", **real)
    client = signed_in(learners["b"])
    replica.caught_up()
    with CaptureQueriesContext(second) as on_second:
        for _ in range(3):
            assert client.get(course_a.url).status_code == 200
            assert client.get("/saya/").status_code == 200
    assert len({query["sql"] for query in on_second.captured_queries}) > 3
    assert '"learners_enrollment"' in " ".join(q["sql"] for q in on_second.captured_queries)
    assert health.is_down(REPLICA) and not health.is_down("replica_2")
    assert connections[REPLICA].connection is None

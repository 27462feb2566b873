"""What the LRS answers that is not a success is recorded on the delivery, never raised: a
statement the LRS refuses, an LRS in trouble, an answer that is not HTTP. And the admin report
of deliveries: who sees it, what it counts, in a fixed number of queries."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from content.models import Organization
from learners.factories import OrganizationRoleFactory, UserFactory
from learners.models import LearningRecord, OrganizationRole
from xapi import services
from xapi.client import ERROR_BODY_CHARS
from xapi.models import Delivery, statement_id_for
from xapi.statements import statement_build

pytestmark = pytest.mark.django_db


class FakeLrs(BaseHTTPRequestHandler):
    """Answers every PUT with `answer`: (status, headers, body), or raw bytes that are no HTTP."""

    answer: tuple | bytes = (204, {}, b"")

    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if isinstance(self.answer, bytes):
            self.wfile.write(self.answer)
            self.close_connection = True
            return
        status, headers, body = self.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def fake_lrs():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLrs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/xAPI/"
    server.shutdown()
    server.server_close()


def _delivery_of_a_record(learner) -> Delivery:
    record = LearningRecord.objects.create(
        actor=learner,
        learner=learner,
        verb=LearningRecord.Verb.LESSON_COMPLETED,
        object_type="courses.lessonpage",
        object_id="999999",
        object_label="Pelajaran yang sudah dihapus",
    )
    source = Delivery.Source.LEARNING_RECORD
    return Delivery.objects.create(
        source=source,
        source_id=str(record.pk),
        statement_id=statement_id_for(source=source, source_id=str(record.pk)),
    )


@pytest.mark.parametrize(
    ("answer", "status", "error"),
    [
        (
            (500, {"Content-Type": "text/html"}, b"<html><h1>Bad Gateway</h1></html>"),
            "pending",
            "HTTP 500: <html><h1>Bad Gateway</h1></html>",
        ),
        ((503, {}, b"x" * 100_000), "pending", "HTTP 503: " + "x" * 490),
        ((302, {"Location": "/login"}, b""), "pending", "HTTP 302"),
        (
            (401, {}, b'{"detail": "Invalid authentication credentials"}'),
            "pending",
            'HTTP 401: {"detail": "Invalid authentication credentials"}',
        ),
        (
            (400, {}, b'{"detail": [{"msg": "invalid verb"}]}'),
            "refused",
            'HTTP 400: {"detail": [{"msg": "invalid verb"}]}',
        ),
        (
            (409, {}, b'{"detail": "A different statement already exists with the same ID"}'),
            "sent",
            "HTTP 409",
        ),
        ((204, {}, b"\xff\xfe not json at all"), "sent", ""),
        (b"\x00\xffTHIS IS NOT HTTP\r\n\r\n", "pending", "ConnectionError"),
    ],
)
def test_what_the_lrs_answers_is_recorded_not_raised(
    fake_lrs, settings, answer, status, error, monkeypatch
):
    settings.LENTERA_XAPI_ENDPOINT = fake_lrs
    monkeypatch.setattr(FakeLrs, "answer", answer)
    delivery = services.delivery_send(delivery_id=_delivery_of_a_record(UserFactory()).pk)

    assert delivery.status == status
    assert delivery.attempts == 1
    assert delivery.last_error.startswith(error)
    assert len(delivery.last_error) <= ERROR_BODY_CHARS + 20
    assert (delivery.next_attempt_at is not None) == (status == "pending")


def test_a_statement_the_real_lrs_refuses_is_marked_refused_with_its_reason(lrs, monkeypatch):
    delivery = _delivery_of_a_record(UserFactory())
    statement = statement_build(delivery)
    del statement["actor"]  # a statement without its actor is malformed (xAPI 2.4.2)
    statement["timestamp"] = "kemarin sore"
    monkeypatch.setattr(services, "statement_build", lambda delivery: statement)

    delivery = services.delivery_send(delivery_id=delivery.pk)

    assert delivery.status == Delivery.Status.REFUSED
    assert delivery.last_error.startswith("HTTP 422")
    assert "actor" in delivery.last_error
    assert lrs.statements() == []


def test_a_record_of_an_erased_learner_is_skipped(lrs):
    learner = UserFactory()
    delivery = _delivery_of_a_record(learner)
    learner.delete()  # the learning record keeps its row, without its learner

    delivery = services.delivery_send(delivery_id=delivery.pk)

    assert delivery.status == Delivery.Status.SKIPPED
    assert lrs.statements() == []


def test_nothing_is_queued_while_xapi_is_off(settings, django_capture_on_commit_callbacks):
    settings.LENTERA_XAPI_ENDPOINT = ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        LearningRecord.objects.create(
            verb=LearningRecord.Verb.LESSON_COMPLETED, object_type="x", object_id="1"
        )
    assert callbacks == []
    assert not Delivery.objects.exists()


def test_the_delivery_report_counts_by_source_and_status_in_fixed_queries(
    site_tree, fake_lrs, settings, django_assert_max_num_queries
):
    settings.LENTERA_XAPI_ENDPOINT = fake_lrs.replace("http://", "http://kunci:rahasia@")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    learner = UserFactory()
    _delivery_of_a_record(learner)
    with django_assert_max_num_queries(20) as one:
        response = client.get("/admin/xapi/")
    assert response.status_code == 200
    for _ in range(30):
        _delivery_of_a_record(learner)
    Delivery.objects.filter(pk__in=Delivery.objects.values("pk")[:5]).update(
        status=Delivery.Status.REFUSED, last_error="HTTP 400: invalid verb"
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/admin/xapi/")
    html = response.content.decode()
    assert "HTTP 400: invalid verb" in html
    assert ">31<" in html  # the total
    assert ">26<" in html  # still waiting
    assert fake_lrs in html
    assert "rahasia" not in html


def test_the_delivery_report_is_for_platform_and_lan_admins(site_tree):
    lan = Organization.objects.create(
        name="Lembaga Administrasi Negara", short_name="LAN", slug="lan", kind="lan"
    )
    ministry = Organization.objects.create(
        name="Kementerian X", short_name="KX", slug="kx", kind="ministry"
    )
    from xapi.permissions import can_view_xapi_report

    lan_admin, ministry_admin, learner = UserFactory(), UserFactory(), UserFactory()
    OrganizationRoleFactory(user=lan_admin, organization=lan, role=OrganizationRole.Role.ADMIN)
    OrganizationRoleFactory(
        user=ministry_admin, organization=ministry, role=OrganizationRole.Role.ADMIN
    )
    assert can_view_xapi_report(UserFactory(is_superuser=True))
    assert can_view_xapi_report(lan_admin)
    assert not can_view_xapi_report(ministry_admin)
    assert not can_view_xapi_report(learner)
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        __import__("django.contrib.auth.models", fromlist=["Permission"]).Permission.objects.get(
            codename="access_admin"
        )
    )
    client = Client()
    client.force_login(editor)
    response = client.get("/admin/xapi/")  # Wagtail: back to the dashboard, with a message
    assert (response.status_code, response.url) == (302, "/admin/")

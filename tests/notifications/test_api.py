"""The notifications endpoints of the learner API: my count, my list, marking read; never
anyone else's."""

import pytest

from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
BASE = "/api/v1/me/notifications"


def test_signed_out_gets_401(client):
    assert client.get(BASE).status_code == 401
    assert client.get(BASE + "/unread-count").status_code == 401
    assert client.post(BASE + "/read").status_code == 401


def test_my_count_and_list_newest_first_without_others(client_for, reader, writer):
    notify(recipient=reader, kind=Kind.ANSWER, actor=writer, subject="Lama", url="/a/")
    notify(recipient=reader, kind=Kind.REMINDER, subject="Baru", url="/b/")
    notify(recipient=writer, kind=Kind.REMINDER, subject="Bukan milikmu")
    client = client_for(reader)
    assert client.get(BASE + "/unread-count").json() == {"unread": 2}
    body = client.get(BASE, {"page_size": 1}).json()
    assert (body["count"], body["unread"], body["pages"], body["page_size"]) == (2, 2, 2, 1)
    [newest] = body["results"]
    assert newest["subject"] == "Baru" and newest["kind"] == "reminder"
    assert newest["url"] == "/b/" and newest["actor"] is None and newest["read_at"] is None
    older = client.get(BASE, {"page_size": 1, "page": 2}).json()["results"][0]
    assert older["actor"] == "Penulis Satu"


def test_the_message_is_in_the_apis_language_with_an_unprefixed_link(client_for, reader):
    # The API answers in the site's default language (its paths have no language prefix).
    notify(recipient=reader, kind=Kind.SESSION_SCHEDULED, subject="Kelas", url="/en/kelas/1/")
    result = client_for(reader).get(BASE).json()["results"][0]
    assert result["message"] == "Sesi langsung dijadwalkan: Kelas"
    assert result["url"] == "/kelas/1/"


def test_marking_one_read_is_idempotent_and_only_mine(client_for, reader, writer):
    notification = notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    url = f"{BASE}/{notification.pk}/read"
    assert client_for(writer).post(url).status_code == 404
    client = client_for(reader)
    assert client.post(url).json() == {"marked": 1}
    assert client.post(url).json() == {"marked": 0}
    assert client.get(BASE + "/unread-count").json() == {"unread": 0}


def test_marking_all_read(client_for, reader, writer):
    notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    notify(recipient=reader, kind=Kind.REMINDER, subject="b")
    theirs = notify(recipient=writer, kind=Kind.REMINDER, subject="c")
    assert client_for(reader).post(BASE + "/read").json() == {"marked": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_bad_paging_is_refused_with_422(client_for, reader):
    client = client_for(reader)
    assert client.get(BASE, {"page_size": 1000}).status_code == 422
    assert client.get(BASE, {"page": "x"}).status_code == 422

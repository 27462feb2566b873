"""The daily digest: one e-mail per person with unread, undigested notifications since the
start of yesterday, in their language, never twice, never to someone who turned it off."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from core.daily import registry
from learners.factories import UserFactory
from notifications.daily import notifications_digest_daily
from notifications.digest import digest_send, digest_since
from notifications.models import Notification, NotificationPreference
from notifications.services import notification_mark_read, notify

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _since():
    return digest_since(timezone.localdate())


def test_one_email_per_person_listing_their_unread_notifications(reader, writer):
    notify(recipient=reader, kind=Kind.ANSWER, actor=writer, subject="Cara SKP", url="/d/1/")
    notify(recipient=reader, kind=Kind.REMINDER, subject="Kursus A", url="/k/")
    read = notify(recipient=reader, kind=Kind.REMINDER, subject="Sudah dibaca")
    notification_mark_read(user=reader, notification_id=read.pk)
    notify(recipient=writer, kind=Kind.MENTION, actor=reader, subject="Topik")
    assert digest_send(since=_since()) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    body = by_address[reader.email].body
    assert by_address[reader.email].subject == "Lentera: 2 notifikasi belum dibaca"
    assert "Cara SKP" in body and "Kursus A" in body and "Sudah dibaca" not in body
    assert "http://testserver/d/1/" in body or "/d/1/" in body
    assert "/saya/notifikasi/" in body
    assert "Topik" in by_address[writer.email].body


def test_a_second_run_the_same_day_sends_nothing(reader):
    notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    assert digest_send(since=_since()) == 1
    assert digest_send(since=_since()) == 0
    assert len(mail.outbox) == 1
    # A new notification later that day is in the next digest, alone.
    notify(recipient=reader, kind=Kind.REMINDER, subject="b")
    assert digest_send(since=_since()) == 1
    assert mail.outbox[1].subject == "Lentera: 1 notifikasi belum dibaca"


def test_people_who_turned_it_off_get_none(reader, writer):
    NotificationPreference.objects.create(user=reader, daily_digest=False)
    notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    notify(recipient=writer, kind=Kind.REMINDER, subject="b")
    assert digest_send(since=_since()) == 1
    assert [message.to for message in mail.outbox] == [[writer.email]]


def test_notifications_older_than_yesterday_are_left_out(reader):
    old = notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert digest_send(since=_since()) == 0


def test_the_digest_is_in_the_persons_language(reader):
    UserProfile.objects.update_or_create(user=reader, defaults={"preferred_language": "en"})
    notify(recipient=reader, kind=Kind.SESSION_CANCELLED, subject="Kelas 1", url="/kelas/1/")
    digest_send(since=_since())
    [message] = mail.outbox
    assert message.subject == "Lentera: 1 unread notification"
    assert "Live session cancelled: Kelas 1" in message.body
    assert "/en/kelas/1/" in message.body and "/en/saya/notifikasi/" in message.body


def test_the_query_count_does_not_grow_with_people():
    counts = []
    for people in (2, 12):
        Notification.objects.update(digested_at=timezone.now())
        for _person in range(people):
            notify(recipient=UserFactory(), kind=Kind.REMINDER, subject="a")
        with CaptureQueriesContext(connection) as queries:
            assert digest_send(since=_since()) == people
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_daily_command_queues_the_digest(reader, django_capture_on_commit_callbacks):
    assert "notifications_digest" in {job.name for job in registry.jobs()}
    notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    with django_capture_on_commit_callbacks(execute=True):
        summary = notifications_digest_daily(timezone.localdate())
    assert summary == "1 notification digest(s) queued."
    assert [message.to for message in mail.outbox] == [[reader.email]]
    assert notifications_digest_daily(timezone.localdate()) == "0 notification digest(s) queued."

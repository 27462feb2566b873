import pytest
from django.db import transaction
from django.utils import translation

from learners.factories import UserFactory
from notifications.models import SUBJECT_MAX_LENGTH, Notification
from notifications.selectors import notification_unread_count
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
    notify_many,
)

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def test_notify_saves_one_row_in_one_insert(reader, writer, django_assert_num_queries):
    with django_assert_num_queries(1):
        notification = notify(
            recipient=reader, kind=Kind.ANSWER, actor=writer, subject="Cara SKP", url="/d/1/"
        )
    stored = Notification.objects.get()
    assert stored == notification
    assert (stored.recipient, stored.actor, stored.kind) == (reader, writer, Kind.ANSWER)
    assert (stored.subject, stored.url, stored.read_at) == ("Cara SKP", "/d/1/", None)


def test_notify_never_tells_the_actor_about_their_own_act(writer, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify(recipient=writer, kind=Kind.ANSWER, actor=writer, subject="x") is None
    assert not Notification.objects.exists()


def test_notify_rejects_a_link_off_the_site(reader):
    for url in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        with pytest.raises(ValueError):
            notify(recipient=reader, kind=Kind.REMINDER, subject="x", url=url)
    assert not Notification.objects.exists()


def test_notify_cuts_a_long_subject_to_one_line(reader):
    notification = notify(recipient=reader, kind=Kind.REPLY, subject="a\nb " + "c" * 500)
    assert "\n" not in notification.subject
    assert len(notification.subject) == SUBJECT_MAX_LENGTH
    assert notification.subject.startswith("a b c") and notification.subject.endswith("…")


def test_notify_is_rolled_back_with_the_callers_transaction(reader):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=reader, kind=Kind.REMINDER, subject="x")
        raise RuntimeError
    assert not Notification.objects.exists()


def test_notify_many_is_one_insert_without_the_actor_or_duplicates(
    reader, writer, django_assert_num_queries
):
    third = UserFactory()
    with django_assert_num_queries(1):
        created = notify_many(
            recipients=[reader, writer, third, reader],
            kind=Kind.SESSION_SCHEDULED,
            actor=writer,
            subject="Kelas daring",
            url="/sesi/1/",
        )
    assert len(created) == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {reader.pk, third.pk}


def test_notify_many_with_nobody_writes_nothing(writer, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify_many(recipients=[writer], kind=Kind.ANNOUNCEMENT, actor=writer) == []


def test_the_unread_count_is_cached_and_follows_notify_and_mark_read(
    reader, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert notification_unread_count(user=reader) == 0
    with django_assert_num_queries(0):
        assert notification_unread_count(user=reader) == 0
    first = notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    notify_many(recipients=[reader], kind=Kind.REMINDER, subject="b")
    assert notification_unread_count(user=reader) == 2
    assert notification_mark_read(user=reader, notification_id=first.pk) == 1
    assert notification_unread_count(user=reader) == 1
    assert notifications_mark_all_read(user=reader) == 1
    assert notification_unread_count(user=reader) == 0


def test_nobody_marks_someone_elses_notification_read(reader, writer):
    notification = notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    assert notification_mark_read(user=writer, notification_id=notification.pk) is None
    assert notifications_mark_all_read(user=writer) == 0
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_a_read_notification_again_keeps_its_time(reader):
    notification = notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    notification_mark_read(user=reader, notification_id=notification.pk)
    notification.refresh_from_db()
    first = notification.read_at
    assert notification_mark_read(user=reader, notification_id=notification.pk) == 0
    notification.refresh_from_db()
    assert notification.read_at == first


def test_the_message_is_rendered_in_the_readers_language(reader):
    notification = notify(recipient=reader, kind=Kind.SESSION_CANCELLED, subject="Kelas 1")
    with translation.override("en"):
        assert notification.message == "Live session cancelled: Kelas 1"
    with translation.override("id-id"):
        assert notification.message == "Sesi langsung dibatalkan: Kelas 1"


def test_every_kind_has_a_message():
    from notifications.models import MESSAGES

    assert set(MESSAGES) == set(Kind)


def test_a_link_is_stored_without_its_language_and_shown_in_the_readers(reader):
    notification = notify(recipient=reader, kind=Kind.REMINDER, subject="a", url="/en/saya/")
    assert notification.url == "/saya/"
    with translation.override("en"):
        assert notification.link == "/en/saya/"
    with translation.override("id-id"):
        assert notification.link == "/saya/"

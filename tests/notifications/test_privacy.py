"""A person's notifications are in their data download and go with their account."""

import pytest
from django.utils import translation

from notifications.models import Notification, NotificationPreference
from notifications.services import notification_preference_set, notify
from privacy.data_export import personal_data
from privacy.erasure import account_erase

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def test_the_download_holds_my_notifications_and_setting_not_others(reader, writer):
    notify(recipient=reader, kind=Kind.ANSWER, actor=writer, subject="Cara SKP", url="/d/1/")
    notify(recipient=writer, kind=Kind.REMINDER, actor=reader, subject="Bukan milik saya")
    notification_preference_set(user=reader, daily_digest=False)
    with translation.override("id-id"):
        data = personal_data(reader)["notifications"]
    assert data["daily_digest"] is False
    [exported] = data["notifications"]
    assert exported["subject"] == "Cara SKP" and "actor" not in exported
    assert exported["message"] == "Jawaban baru atas pertanyaan Anda “Cara SKP”"
    assert exported["url"] == "/d/1/" and exported["read_at"] is None


def test_erasure_deletes_mine_and_unnames_me_in_others(reader, writer):
    notify(recipient=reader, kind=Kind.ANSWER, actor=writer, subject="a")
    notification_preference_set(user=reader, daily_digest=False)
    told = notify(recipient=writer, kind=Kind.ANNOUNCEMENT, actor=reader, subject="Judul saya")
    account_erase(user=reader)
    assert not Notification.objects.filter(recipient=reader).exists()
    assert not NotificationPreference.objects.filter(user=reader).exists()
    told.refresh_from_db()
    assert (told.actor, told.subject, told.recipient) == (None, "", writer)

"""Members are told when a session is scheduled, moved or cancelled: a notification each, and an
e-mail each sent once however often the task runs, in their language."""

from datetime import timedelta

import pytest
from django.core import mail
from wagtail.users.models import UserProfile

from live import services
from live.models import SessionNotice
from live.tasks import session_notices_deliver
from notifications.models import Notification
from tests.live.conftest import tomorrow_at

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _schedule(cohort, trainer, **overrides):
    fields = {
        "cohort": cohort,
        "created_by": trainer,
        "title": "Kelas daring: SKP",
        "starts_at": tomorrow_at(9),
        "ends_at": tomorrow_at(10, 30),
        "url": "https://meet.example.go.id/skp",
    }
    return services.session_create(**(fields | overrides))


def test_scheduling_tells_each_member_not_the_trainer_nor_outsiders(
    cohort, trainer, member, other_member, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = _schedule(cohort, trainer)
    notified = Notification.objects.filter(kind=Kind.SESSION_SCHEDULED)
    assert {n.recipient for n in notified} == {member, other_member}
    assert {(n.actor, n.subject, n.url) for n in notified} == {
        (trainer, "Kelas daring: SKP", f"/kelas/{cohort.pk}/sesi/")
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, other_member.email])
    message = mail.outbox[0]
    assert message.subject == "Sesi langsung dijadwalkan: Kelas daring: SKP"
    assert "https://meet.example.go.id/skp" in message.body
    assert f"/sesi/{session.pk}/kalender.ics" in message.body
    assert not SessionNotice.objects.filter(sent_at=None).exists()


def test_a_retried_task_sends_nobody_a_second_copy(
    cohort, trainer, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = _schedule(cohort, trainer)
    assert len(mail.outbox) == 1
    session_notices_deliver.enqueue(session_id=session.pk, sequence=session.sequence)
    assert len(mail.outbox) == 1


def test_moving_a_session_tells_the_members_editing_its_notes_does_not(
    cohort, trainer, member, django_capture_on_commit_callbacks
):
    session = _schedule(cohort, trainer)
    fields = {
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "url": session.url,
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, changed_by=trainer, notes="Baru.", **fields)
    assert Notification.objects.count() == 1 and mail.outbox == []
    moved = fields | {
        "starts_at": session.starts_at + timedelta(hours=1),
        "ends_at": session.ends_at + timedelta(hours=1),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, changed_by=trainer, **moved)
    assert Notification.objects.filter(kind=Kind.SESSION_SCHEDULED).count() == 2
    [message] = mail.outbox
    assert message.subject == "Sesi langsung diubah: Kelas daring: SKP"
    assert "10:00" in message.body


def test_cancelling_tells_the_members_in_their_language(
    cohort, trainer, member, django_capture_on_commit_callbacks
):
    UserProfile.objects.update_or_create(user=member, defaults={"preferred_language": "en"})
    session = _schedule(cohort, trainer)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, cancelled_by=trainer)
    notification = Notification.objects.get(kind=Kind.SESSION_CANCELLED)
    assert (notification.recipient, notification.actor) == (member, trainer)
    [message] = mail.outbox
    assert message.subject == "Live session cancelled: Kelas daring: SKP"
    assert "is cancelled" in message.body and f"/en/kelas/{cohort.pk}/sesi/" in message.body
    assert "kalender.ics" not in message.body


def test_a_refused_session_tells_nobody(cohort, trainer, member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _schedule(cohort, trainer, ends_at=tomorrow_at(8))
    assert not Notification.objects.exists() and not SessionNotice.objects.exists()

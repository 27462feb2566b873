"""Writes of notifications: telling people (`notify`, `notify_many`) and marking what they read.

Other apps call `notify()` inside their own transaction, beside the change it reports (an
answer, a decision, a session): the notification is saved or rolled back with it. It costs one
INSERT; the unread counts it changes are dropped from the cache now and again after the commit
(a request reading between the two would otherwise cache the old count for minutes).
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from notifications.links import path_without_language
from notifications.models import (
    SUBJECT_MAX_LENGTH,
    URL_MAX_LENGTH,
    Notification,
    NotificationPreference,
)
from notifications.selectors import unread_count_key


def _forget_unread_counts(user_ids: list[int]) -> None:
    if not user_ids:
        return
    keys = [unread_count_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _subject(subject: str) -> str:
    # One line, cut to fit: a subject is a title shown in a list, not the text itself.
    subject = " ".join(str(subject).split())
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return subject


def _url(url: str) -> str:
    # A path on this site: a link to elsewhere (or a scheme-relative //host) would make the list
    # an open redirect dressed as a notification.
    url = str(url or "")
    if url and (not url.startswith("/") or url.startswith("//") or len(url) > URL_MAX_LENGTH):
        raise ValueError(f"A notification links to a path on this site, not {url!r}.")
    # Read in the reader's language, whatever the actor's (notifications.links).
    return path_without_language(url)


def _user_id(user) -> int | None:
    if user is None:
        return None
    return user if isinstance(user, int) else user.pk


def notify(
    *,
    recipient,
    kind: Notification.Kind,
    actor=None,
    subject: str = "",
    url: str = "",
) -> Notification | None:
    """Tell `recipient` about something `actor` did (one INSERT); nobody is told about their own
    act, so notifying the actor returns None and writes nothing."""
    recipient_id = _user_id(recipient)
    actor_id = _user_id(actor)
    if recipient_id is None or recipient_id == actor_id:
        return None
    notification = Notification.objects.create(
        recipient_id=recipient_id,
        kind=Notification.Kind(kind),
        actor_id=actor_id,
        subject=_subject(subject),
        url=_url(url),
    )
    _forget_unread_counts([recipient_id])
    return notification


def notify_many(
    *,
    recipients: Iterable,
    kind: Notification.Kind,
    actor=None,
    subject: str = "",
    url: str = "",
) -> list[Notification]:
    """Tell several people the same thing in one bulk INSERT (each once, never the actor)."""
    actor_id = _user_id(actor)
    kind = Notification.Kind(kind)
    subject = _subject(subject)
    url = _url(url)
    recipient_ids = list(
        dict.fromkeys(
            user_id
            for user_id in (_user_id(recipient) for recipient in recipients)
            if user_id is not None and user_id != actor_id
        )
    )
    if not recipient_ids:
        return []
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=kind,
            actor_id=actor_id,
            subject=subject,
            url=url,
            created_at=now,
        )
        for user_id in recipient_ids
    )
    _forget_unread_counts(recipient_ids)
    return notifications


def notification_mark_read(*, user, notification_id: int) -> int | None:
    """Mark one of `user`'s notifications read: 1 when it changed, 0 when it was read already,
    None when it is not theirs (or not there)."""
    changed = Notification.objects.filter(pk=notification_id, recipient=user, read_at=None).update(
        read_at=timezone.now()
    )
    if changed:
        _forget_unread_counts([user.pk])
        return 1
    return 0 if Notification.objects.filter(pk=notification_id, recipient=user).exists() else None


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    changed = Notification.objects.filter(recipient=user, read_at=None).update(
        read_at=timezone.now()
    )
    _forget_unread_counts([user.pk])
    return changed


def notification_preference_set(*, user, daily_digest: bool) -> NotificationPreference:
    """Record whether `user` wants the daily digest e-mail."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    return preference


def notifications_erase(*, user) -> None:
    """Erase a person's notifications (privacy.erasure): theirs and their setting go; in other
    people's, they are no longer named, and the announcement titles they wrote are blanked (the
    announcements themselves lose their text in discussions' erasure)."""
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    Notification.objects.filter(actor=user, kind=Notification.Kind.ANNOUNCEMENT).update(subject="")
    Notification.objects.filter(actor=user).update(actor=None)
    _forget_unread_counts([user.pk])

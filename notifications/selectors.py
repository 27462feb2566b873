"""Reads of notifications: a person's list and their unread count (cached, see below)."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from wagtail.users.models import UserProfile

from notifications.models import Notification, NotificationPreference

#: How long a cached unread count lives. `notify()` and the mark-read services delete it when
#: it changes, so this only bounds how long a count missed by an invalidation (a crash between
#: commit and delete) can stay wrong.
UNREAD_COUNT_SECONDS = 300


def unread_count_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def notification_list(*, user) -> QuerySet[Notification]:
    """The person's notifications, newest first (the listing index), with their actors."""
    return Notification.objects.filter(recipient=user).select_related("actor")


def notification_unread_count(*, user) -> int:
    """How many of the person's notifications are unread: from the cache, or one COUNT.

    The header shows it on every page a signed-in person opens; most of those pages change
    nothing, so the count is kept in the cache and deleted by whatever changes it."""
    key = unread_count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at=None).count()
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return count


def notification_preference(*, user) -> NotificationPreference:
    """The person's preference, or the defaults (unsaved) when they never chose."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


def languages_of(user_ids: list[int]) -> dict[int, str]:
    """The language each of these people's e-mails are written in: the one their Wagtail profile
    prefers (`UserProfile.preferred_language`) when the site offers it; people missing from the
    answer get the site's default. One query."""
    offered = {code for code, _name in settings.LANGUAGES}
    return dict(
        UserProfile.objects.filter(
            user_id__in=user_ids, preferred_language__in=offered
        ).values_list("user_id", "preferred_language")
    )


def notifications_personal_data(*, user) -> dict:
    """What the person's data download holds of notifications (privacy.data_export): their
    notifications, each with its sentence in the active language, and their setting."""
    notifications = [
        {
            "kind": notification.kind,
            "message": notification.message,
            "subject": notification.subject,
            "url": notification.url,
            "created_at": notification.created_at,
            "read_at": notification.read_at,
            "digested_at": notification.digested_at,
        }
        # Who caused each one is left out: another person's name is theirs, not this
        # person's data (the matrix checks no download names anyone else).
        for notification in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    ]
    return {
        "notifications": notifications,
        "daily_digest": notification_preference(user=user).daily_digest,
    }

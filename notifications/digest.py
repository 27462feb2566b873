"""The daily digest: one e-mail a day to each person with unread notifications from yesterday
or today that no digest has listed yet, unless they turned it off (`NotificationPreference`).

Idempotent: each notification listed is marked `digested_at` as its e-mail goes, so a second run
the same day (or a retried task) finds nothing to send to the people already e-mailed. Window:
from the start of yesterday (local time), not "the last 24 hours", so that a daily command run
a little later one day than the day before misses nothing; `digested_at` keeps the overlap out.
"""

import smtplib
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Notification, NotificationPreference
from notifications.selectors import languages_of

#: Messages handed to the mail server per connection.
SEND_CHUNK = 200
#: The most notifications one e-mail lists (the rest: "and N more" with the page's link).
LISTED_MAX = 20


def digest_since(today: date) -> datetime:
    """The oldest notification a digest run on `today` lists: the start of yesterday."""
    return timezone.make_aware(datetime.combine(today - timedelta(days=1), time.min))


def _undigested(since: datetime):
    opted_out = NotificationPreference.objects.filter(
        user_id=OuterRef("recipient_id"), daily_digest=False
    )
    return (
        Notification.objects.filter(
            read_at=None,
            digested_at=None,
            created_at__gte=since,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .exclude(Exists(opted_out))
    )


def digest_recipient_ids(*, since: datetime) -> list[int]:
    """Who gets a digest from `since` (one query)."""
    return list(_undigested(since).values_list("recipient_id", flat=True).distinct())


def digest_send(*, since: datetime) -> int:
    """E-mail each person their undigested unread notifications from `since`; returns how many
    e-mails went. Each person's notifications are marked digested once their e-mail is handed
    over, so a run broken half way sends only the rest when tried again."""
    rows = _undigested(since).select_related("recipient", "actor").order_by("recipient_id", "-pk")
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for notification in rows:
        by_person[notification.recipient_id].append(notification)
    people = list(by_person)
    languages = languages_of(people)
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    sent = 0
    for start in range(0, len(people), SEND_CHUNK):
        digested: list[int] = []
        try:
            with get_connection() as connection:
                for person_id in people[start : start + SEND_CHUNK]:
                    notifications = by_person[person_id]
                    recipient = notifications[0].recipient
                    language = languages.get(person_id, settings.LANGUAGE_CODE)
                    with translation.override(language):
                        context = {
                            "recipient": recipient,
                            "count": len(notifications),
                            "listed": [
                                {
                                    "message": notification.message,
                                    "url": base_url + notification.link if notification.url else "",
                                }
                                for notification in notifications[:LISTED_MAX]
                            ],
                            "more": max(0, len(notifications) - LISTED_MAX),
                            "list_url": base_url + reverse("notifications:list"),
                        }
                        subject = " ".join(
                            render_to_string(
                                "notifications/email/digest_subject.txt", context
                            ).split()
                        )
                        body = render_to_string("notifications/email/digest_body.txt", context)
                    message = EmailMessage(subject, body, None, [recipient.email])
                    try:
                        connection.send_messages([message])
                    except smtplib.SMTPRecipientsRefused:
                        pass  # this address only; the list is on the site anyway
                    else:
                        sent += 1
                    digested.extend(notification.pk for notification in notifications)
        finally:
            Notification.objects.filter(pk__in=digested).update(digested_at=timezone.now())
    return sent

"""The notifications' daily job (see core.daily), registered by NotificationsConfig.ready()."""

from datetime import date

from django.db import transaction

from core.daily import daily_job
from notifications.digest import digest_recipient_ids, digest_since
from notifications.tasks import digest_deliver


@daily_job(name="notifications_digest", order=90)
def notifications_digest_daily(today: date) -> str:
    """Queue the daily digest e-mail of unread notifications (one task for everyone)."""
    since = digest_since(today)
    people = len(digest_recipient_ids(since=since))
    if people:
        transaction.on_commit(lambda: digest_deliver.enqueue(since=since.isoformat()))
    return f"{people} notification digest(s) queued."

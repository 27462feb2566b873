"""Background work of notifications: the daily digest's e-mails (`notifications.digest`)."""

from datetime import datetime

from django_tasks import task

from core.task_queue import MAIL_ERRORS, retry_on
from notifications.digest import digest_send


@retry_on(*MAIL_ERRORS)
@task()
def digest_deliver(*, since: str) -> int:
    """Send the daily digest of notifications from `since` (ISO 8601); safe to run again."""
    return digest_send(since=datetime.fromisoformat(since))

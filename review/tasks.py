"""Background work of content review: the reminders' e-mails (`review.emails`)."""

from datetime import date

from django_tasks import task

from core.task_queue import MAIL_ERRORS, retry_on
from review.emails import review_reminders_email


@retry_on(*MAIL_ERRORS)
@task()
def review_reminders_deliver(*, page_ids: list[int], today: str) -> int:
    """E-mail the review reminders the daily job recorded on `today` (ISO 8601)."""
    return review_reminders_email(page_ids=page_ids, today=date.fromisoformat(today))

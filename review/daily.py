"""Content review's daily job (see core.daily), registered by ReviewConfig.ready()."""

from datetime import date

from core.daily import daily_job
from review.services import review_defaults_fill, review_reminders_send


@daily_job(name="content_review_reminders", order=60)
def content_review_daily(today: date) -> str:
    """Give live content its review-by date if missing, then remind owners of content due for
    review (30 and 7 days before, and once overdue)."""
    filled = review_defaults_fill()
    sent = review_reminders_send(today=today)
    return f"{sent} content review reminder(s) sent; {filled} review-by date(s) set."

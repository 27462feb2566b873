"""The review reminders' e-mails, in each owner's language (their admin profile's)."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from content.inputs import single_line
from notifications.selectors import languages_of
from review.models import ReviewReminder


def review_reminders_email(*, page_ids: list[int], today: date) -> int:
    """E-mail the owners each page's latest reminder (the daily job's of `today`); returns how
    many went. A reminder row names its recipient, so a retried task sends the same e-mails."""
    latest: dict[int, ReviewReminder] = {}
    for reminder in (
        ReviewReminder.objects.filter(page_id__in=page_ids, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient", "page")
        .order_by("pk")
    ):
        latest[reminder.page_id] = reminder
    reminders = list(latest.values())
    languages = languages_of([reminder.recipient_id for reminder in reminders])
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    for reminder in reminders:
        with translation.override(languages.get(reminder.recipient_id, settings.LANGUAGE_CODE)):
            context = {
                "reminder": reminder,
                "title": reminder.page.title,
                "overdue": reminder.threshold == ReviewReminder.Threshold.OVERDUE,
                "days_left": (reminder.review_by - today).days,
                "edit_url": base_url + reverse("wagtailadmin_pages:edit", args=[reminder.page_id]),
                "report_url": base_url + reverse("content_review"),
            }
            subject = _("Review “%(title)s” by %(date)s") % {
                "title": reminder.page.title,
                "date": reminder.review_by.strftime("%d-%m-%Y"),
            }
            body = render_to_string("review/email/reminder.txt", context)
        messages.append(EmailMessage(single_line(subject), body, None, [reminder.recipient.email]))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0

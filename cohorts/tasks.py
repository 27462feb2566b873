"""Background work for cohorts: reminder e-mails."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from cohorts.models import Reminder
from cohorts.selectors import cohort_learner_progress

#: Messages handed to the mail server per connection.
SEND_CHUNK = 200


@task()
def reminders_deliver(*, batch: str) -> int:
    """Send the reminders queued by one request, in Bahasa Indonesia; returns how many went.

    Safe to run twice: only reminders still queued are sent.
    """
    reminders = list(
        Reminder.objects.filter(batch=batch, status=Reminder.Status.QUEUED).select_related(
            "learner", "cohort__course"
        )
    )
    if not reminders:
        return 0
    cohort = reminders[0].cohort
    progress = cohort_learner_progress(cohort, [reminder.learner_id for reminder in reminders])
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    my_learning_url = base_url + reverse("learners:my_learning")
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("cohorts/email/reminder_subject.txt", {"cohort": cohort}).strip()
        for start in range(0, len(reminders), SEND_CHUNK):
            chunk = reminders[start : start + SEND_CHUNK]
            messages, delivered, skipped = [], [], []
            for reminder in chunk:
                if not reminder.learner.email:
                    skipped.append(reminder.pk)
                    continue
                body = render_to_string(
                    "cohorts/email/reminder_body.txt",
                    {
                        "learner": reminder.learner,
                        "cohort": cohort,
                        "percent": progress.get(reminder.learner_id, 0),
                        "my_learning_url": my_learning_url,
                    },
                )
                messages.append(EmailMessage(subject, body, None, [reminder.learner.email]))
                delivered.append(reminder.pk)
            with get_connection() as connection:
                connection.send_messages(messages)
            Reminder.objects.filter(pk__in=delivered).update(
                status=Reminder.Status.SENT, sent_at=timezone.now()
            )
            Reminder.objects.filter(pk__in=skipped).update(status=Reminder.Status.SKIPPED)
            sent += len(delivered)
    return sent

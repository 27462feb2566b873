"""Background work for cohorts: reminder e-mails."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskContext, task

from cohorts.models import Reminder
from cohorts.selectors import cohort_learner_progress
from content.inputs import single_line
from learners.task_queue import MAIL_ERRORS, retry_on, task_is_last_attempt

#: Messages handed to the mail server per connection.
SEND_CHUNK = 200
#: The longest error text kept on a reminder.
ERROR_MAX_LENGTH = 500


def _error_text(error: BaseException) -> str:
    return (f"{type(error).__name__}: {error}").strip()[:ERROR_MAX_LENGTH]


@retry_on(*MAIL_ERRORS)
@task(takes_context=True)
def reminders_deliver(context: TaskContext, *, batch: str) -> int:
    """Send the reminders queued by one request, in Bahasa Indonesia; returns how many went.

    Safe to run twice: only reminders still queued are sent. Each reminder records what became
    of it: sent, not sent (no address), or the mail server's error. With the server down, the
    ones not sent stay queued with that error while the task waits for its retry, and turn
    failed after the last attempt.
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
    my_learning_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("learners:my_learning")
    sent = 0
    try:
        with translation.override(settings.LANGUAGE_CODE):
            # Titles stored before single-line checks may hold a line break: a header cannot.
            subject = single_line(
                render_to_string("cohorts/email/reminder_subject.txt", {"cohort": cohort})
            )
            for start in range(0, len(reminders), SEND_CHUNK):
                chunk = reminders[start : start + SEND_CHUNK]
                sent += _chunk_deliver(
                    chunk,
                    subject=subject,
                    context={"cohort": cohort, "my_learning_url": my_learning_url},
                    progress=progress,
                )
    except MAIL_ERRORS as error:
        last = task_is_last_attempt(context)
        Reminder.objects.filter(batch=batch, status=Reminder.Status.QUEUED).update(
            status=Reminder.Status.FAILED if last else Reminder.Status.QUEUED,
            last_error=_error_text(error),
        )
        raise  # the queue retries the task later (or records it failed)
    return sent


def _chunk_deliver(
    chunk: list[Reminder], *, subject: str, context: dict, progress: dict[int, int]
) -> int:
    """Send one connection's worth of reminders and record each one's fate, even when the
    connection breaks half way (those sent are not sent again)."""
    delivered, skipped, refused = [], [], {}
    try:
        with get_connection() as connection:
            for reminder in chunk:
                if not reminder.learner.email:
                    skipped.append(reminder.pk)
                    continue
                body = render_to_string(
                    "cohorts/email/reminder_body.txt",
                    {
                        **context,
                        "learner": reminder.learner,
                        "percent": progress.get(reminder.learner_id, 0),
                    },
                )
                message = EmailMessage(subject, body, None, [reminder.learner.email])
                try:
                    connection.send_messages([message])
                except smtplib.SMTPRecipientsRefused as error:
                    # This address only: the server takes the others.
                    refused[reminder.pk] = _error_text(error)
                else:
                    delivered.append(reminder.pk)
    finally:
        Reminder.objects.filter(pk__in=delivered).update(
            status=Reminder.Status.SENT, sent_at=timezone.now(), last_error=""
        )
        Reminder.objects.filter(pk__in=skipped).update(status=Reminder.Status.SKIPPED)
        for pk, error in refused.items():
            Reminder.objects.filter(pk=pk).update(status=Reminder.Status.FAILED, last_error=error)
    return len(delivered)

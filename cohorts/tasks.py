"""Background work for cohorts: reminder and invitation e-mails.

Both go out on behalf of a trainer: from the platform's address (DEFAULT_FROM_EMAIL), with the
trainer as Reply-To, so "reply to your trainer" reaches them.
"""

import smtplib
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from cohorts.invitations import invitation_url
from cohorts.models import CohortInvitation, Reminder
from cohorts.selectors import cohort_learner_progress
from content.inputs import single_line
from core.task_queue import MAIL_ERRORS, retry_on, task_is_last_attempt

#: Messages handed to the mail server per connection.
SEND_CHUNK = 200
#: The longest error text kept on a reminder.
ERROR_MAX_LENGTH = 500


def _error_text(error: BaseException) -> str:
    return (f"{type(error).__name__}: {error}").strip()[:ERROR_MAX_LENGTH]


def _reply_to(trainer) -> list[str]:
    """The trainer's address as Reply-To (none for a trainer without one)."""
    return [trainer.email] if trainer is not None and trainer.email else []


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
            "learner", "cohort__course", "sent_by"
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
                message = EmailMessage(
                    subject,
                    body,
                    None,
                    [reminder.learner.email],
                    reply_to=_reply_to(reminder.sent_by),
                )
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


@retry_on(*MAIL_ERRORS)
@task()
def invitations_deliver(*, invitation_ids: list[int], since: str) -> int:
    """E-mail invitations their link to sign up and join the cohort, in Bahasa Indonesia, with
    the trainer who sent them as Reply-To; returns how many went.

    Safe to run twice: an invitation sent at or after `since` (by an earlier attempt of this
    task, or a later resend), taken, expired or cancelled is left alone. Each one sent is
    recorded at once, so a connection lost half way sends the rest on the retry.
    """
    invitations = list(
        CohortInvitation.objects.filter(
            pk__in=invitation_ids, accepted_at=None, expires_at__gt=timezone.now()
        )
        .exclude(email="")
        .filter(Q(sent_at=None) | Q(sent_at__lt=datetime.fromisoformat(since)))
        .select_related("cohort__course", "sent_by", "created_by")
        .order_by("pk")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(invitations), SEND_CHUNK):
            delivered = []
            try:
                with get_connection() as connection:
                    for invitation in invitations[start : start + SEND_CHUNK]:
                        connection.send_messages([_invitation_message(invitation)])
                        delivered.append(invitation.pk)
            finally:
                CohortInvitation.objects.filter(pk__in=delivered).update(sent_at=timezone.now())
            sent += len(delivered)
    return sent


def _invitation_message(invitation: CohortInvitation) -> EmailMessage:
    cohort = invitation.cohort
    trainer = invitation.sent_by or invitation.created_by
    # Titles stored before single-line checks may hold a line break: a header cannot.
    subject = single_line(
        _("Invitation to join %(cohort)s: %(course)s")
        % {"cohort": cohort.name, "course": cohort.course.title}
    )
    body = render_to_string(
        "cohorts/email/invitation_body.txt",
        {
            "cohort": cohort,
            "trainer": trainer,
            "url": invitation_url(invitation),
            "expires_at": invitation.expires_at,
        },
    )
    return EmailMessage(subject, body, None, [invitation.email], reply_to=_reply_to(trainer))

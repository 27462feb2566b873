"""Background work of the compliance report: HR's reminders to staff below the JP target, and
the organization-wide figures counted again after a change, before HR asks for them.

Reminders go out from the platform's address with the HR admin who sent them as Reply-To, so a
question about one's JP reaches the people who can answer it.
"""

import smtplib

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from compliance import reports
from compliance.cache import REPORT_CACHE_SECONDS
from compliance.models import ComplianceReminder
from content.inputs import single_line
from content.models import Organization
from content.templatetags.lentera_tags import plain_number
from core.task_queue import MAIL_ERRORS, retry_on, task_is_last_attempt

#: Messages handed to the mail server per connection.
SEND_CHUNK = 200
#: The longest error text kept on a reminder.
ERROR_MAX_LENGTH = 500


def _error_text(error: BaseException) -> str:
    return (f"{type(error).__name__}: {error}").strip()[:ERROR_MAX_LENGTH]


def _absolute(name: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name)


@retry_on(*MAIL_ERRORS)
@task(takes_context=True)
def compliance_reminders_deliver(context: TaskContext, *, batch: str) -> int:
    """Send the JP reminders queued by one request, in Bahasa Indonesia; returns how many went.

    Safe to run twice: only reminders still queued are sent. Each records what became of it:
    sent, not sent (no address), or the mail server's error (failed after the last attempt).
    """
    reminders = list(
        ComplianceReminder.objects.filter(batch=batch, status=ComplianceReminder.Status.QUEUED)
        .select_related("person", "organization", "sent_by")
        .order_by("pk")
    )
    if not reminders:
        return 0
    links = {
        "my_learning_url": _absolute("learners:my_learning"),
        "record_create_url": _absolute("development:record_create"),
    }
    sent = 0
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for start in range(0, len(reminders), SEND_CHUNK):
                sent += _chunk_deliver(reminders[start : start + SEND_CHUNK], links)
    except MAIL_ERRORS as error:
        last = task_is_last_attempt(context)
        ComplianceReminder.objects.filter(
            batch=batch, status=ComplianceReminder.Status.QUEUED
        ).update(
            status=ComplianceReminder.Status.FAILED if last else ComplianceReminder.Status.QUEUED,
            last_error=_error_text(error),
        )
        raise  # the queue retries the task later (or records it failed)
    return sent


def _message(reminder: ComplianceReminder, links: dict) -> EmailMessage:
    subject = _("Your JP in %(year)s: %(jp)s of the %(target)s JP target") % {
        "year": reminder.year,
        "jp": plain_number(reminder.jp),
        "target": reminder.target,
    }
    body = render_to_string(
        "compliance/email/reminder_body.txt",
        {"reminder": reminder, "remaining": reminder.remaining, **links},
    )
    sender = reminder.sent_by
    return EmailMessage(
        single_line(subject),
        body,
        None,
        [reminder.person.email],
        reply_to=[sender.email] if sender is not None and sender.email else [],
    )


def _chunk_deliver(chunk: list[ComplianceReminder], links: dict) -> int:
    """Send one connection's worth and record each one's fate, even when the connection breaks
    half way (those sent are not sent again)."""
    delivered, skipped, refused = [], [], {}
    try:
        with get_connection() as connection:
            for reminder in chunk:
                if not reminder.person.email or not reminder.person.is_active:
                    skipped.append(reminder.pk)
                    continue
                try:
                    connection.send_messages([_message(reminder, links)])
                except smtplib.SMTPRecipientsRefused as error:
                    refused[reminder.pk] = _error_text(error)
                else:
                    delivered.append(reminder.pk)
    finally:
        ComplianceReminder.objects.filter(pk__in=delivered).update(
            status=ComplianceReminder.Status.SENT, sent_at=timezone.now(), last_error=""
        )
        ComplianceReminder.objects.filter(pk__in=skipped).update(
            status=ComplianceReminder.Status.SKIPPED
        )
        for pk, error in refused.items():
            ComplianceReminder.objects.filter(pk=pk).update(
                status=ComplianceReminder.Status.FAILED, last_error=error
            )
    return len(delivered)


def _refresh_queued_key(organization_id: int) -> str:
    return f"compliance:refresh-queued:{organization_id}"


@retry_on(OperationalError)
@task()
def compliance_figures_refresh(*, organization_id: int) -> None:
    """Count an organization's figures for its default view (this year, unfiltered: the report
    and the first page of each list) into the cache under its current token, so that HR's first
    visit after a change does not wait for the count (`compliance.cache`).

    The queued mark is cleared before the token is read: a change committed while this runs
    queues another refresh instead of being lost. Figures counted under a token that a later
    change replaced are never read. Safe to run twice: figures already cached are not counted.
    """
    cache.delete(_refresh_queued_key(organization_id))
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is not None:
        reports.figures_warm(organization=organization)


def compliance_figures_refresh_on_commit(*organization_ids: int | None) -> None:
    """Queue `compliance_figures_refresh` for these organizations once the current transaction
    commits (after `compliance.cache.organization_changed` has replaced their token), at most
    one waiting per organization: a burst of completions in one agency queues one count, not
    one per completion."""
    ids = sorted({pk for pk in organization_ids if pk})

    def enqueue():
        for pk in ids:
            if cache.add(_refresh_queued_key(pk), True, REPORT_CACHE_SECONDS):
                try:
                    compliance_figures_refresh.enqueue(organization_id=pk)
                except Exception:
                    cache.delete(_refresh_queued_key(pk))  # not queued: the next change tries
                    raise

    if ids:
        transaction.on_commit(enqueue)

"""Background work of live sessions: telling a cohort's members by e-mail that a session was
scheduled, changed or cancelled (`SessionNotice`, one per member and change), each in their
language (`notifications.selectors.languages_of`), with the session's time in its own zone."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from content.inputs import single_line
from core.task_queue import MAIL_ERRORS, retry_on
from live.models import LiveSession, SessionNotice
from notifications.selectors import languages_of

#: Messages handed to the mail server per connection.
SEND_CHUNK = 200


@retry_on(*MAIL_ERRORS)
@task()
def session_notices_deliver(*, session_id: int, sequence: int) -> int:
    """E-mail one change of a session to the members not sent it yet; returns how many went.

    Safe to run twice: each notice is marked sent as it goes. An address the mail server
    refuses is not tried again: the session is on the cohort's page and in the calendar feed."""
    session = (
        LiveSession.objects.filter(pk=session_id)
        .select_related("cohort__course", "created_by")
        .first()
    )
    if session is None:
        return 0
    notices = list(
        SessionNotice.objects.filter(session=session, sequence=sequence, sent_at=None)
        .select_related("recipient")
        .order_by("pk")
    )
    languages = languages_of([notice.recipient_id for notice in notices])
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    sent = 0
    for start in range(0, len(notices), SEND_CHUNK):
        done = []
        try:
            with get_connection() as connection:
                for notice in notices[start : start + SEND_CHUNK]:
                    if not notice.recipient.email:
                        done.append(notice.pk)
                        continue
                    language = languages.get(notice.recipient_id, settings.LANGUAGE_CODE)
                    with translation.override(language):
                        context = {
                            "session": session,
                            "change": notice.change,
                            "recipient": notice.recipient,
                            "url": base_url
                            + reverse("live:cohort_sessions", args=[session.cohort_id]),
                            "ics_url": base_url + reverse("live:session_ics", args=[session.pk]),
                        }
                        subject = single_line(
                            render_to_string("live/email/session_subject.txt", context)
                        )
                        body = render_to_string("live/email/session_body.txt", context)
                    message = EmailMessage(subject, body, None, [notice.recipient.email])
                    try:
                        connection.send_messages([message])
                    except smtplib.SMTPRecipientsRefused:
                        pass  # this address only: the server takes the others
                    else:
                        sent += 1
                    done.append(notice.pk)
        finally:
            SessionNotice.objects.filter(pk__in=done).update(sent_at=timezone.now())
    return sent

"""Background work for discussions: a cohort announcement's e-mails, sent as the cohort
reminders are (`cohorts.tasks`): from the platform's address with the trainer as Reply-To, in
chunks per connection. Each member's copy is in their language: the one their Wagtail profile
prefers (`UserProfile.preferred_language`, set in the admin's account settings) when it is one
of the site's, else the site's default, Bahasa Indonesia, as every other e-mail is."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from wagtail.users.models import UserProfile

from cohorts.tasks import SEND_CHUNK, _reply_to
from content.inputs import single_line
from core.task_queue import MAIL_ERRORS, retry_on
from discussions.models import Announcement, AnnouncementDelivery


def _languages_of(user_ids: list[int]) -> dict[int, str]:
    """The language each of these people's e-mails are written in (see the module), one query."""
    offered = {code for code, _name in settings.LANGUAGES}
    preferred = UserProfile.objects.filter(
        user_id__in=user_ids, preferred_language__in=offered
    ).values_list("user_id", "preferred_language")
    return dict(preferred)


@retry_on(*MAIL_ERRORS)
@task()
def announcement_deliver(*, announcement_id: int) -> int:
    """E-mail an announcement to the cohort's members not sent it yet; returns how many went.

    Safe to run twice: each delivery is marked sent as it goes, so a connection lost half way
    sends only the rest on the retry. An address the mail server refuses is not tried again
    (its delivery is marked done): the announcement is on the discussion page anyway.
    """
    announcement = (
        Announcement.objects.filter(pk=announcement_id)
        .select_related("cohort__course", "author")
        .first()
    )
    if announcement is None:
        return 0
    deliveries = list(
        AnnouncementDelivery.objects.filter(announcement=announcement, sent_at=None)
        .select_related("recipient")
        .order_by("pk")
    )
    languages = _languages_of([delivery.recipient_id for delivery in deliveries])
    # Per language: the subject and the link (/en/... for English).
    subjects: dict[str, str] = {}
    urls: dict[str, str] = {}
    sent = 0
    for start in range(0, len(deliveries), SEND_CHUNK):
        delivered = []
        try:
            with get_connection() as connection:
                for delivery in deliveries[start : start + SEND_CHUNK]:
                    if not delivery.recipient.email:
                        delivered.append(delivery.pk)
                        continue
                    language = languages.get(delivery.recipient_id, settings.LANGUAGE_CODE)
                    with translation.override(language):
                        if language not in subjects:
                            # Titles stored before single-line checks may hold a line break:
                            # a header cannot.
                            subjects[language] = single_line(
                                render_to_string(
                                    "discussions/email/announcement_subject.txt",
                                    {"announcement": announcement},
                                )
                            )
                            urls[language] = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
                                "discussions:cohort", args=[announcement.cohort_id]
                            )
                        body = render_to_string(
                            "discussions/email/announcement_body.txt",
                            {
                                "announcement": announcement,
                                "recipient": delivery.recipient,
                                "url": urls[language],
                            },
                        )
                    message = EmailMessage(
                        subjects[language],
                        body,
                        None,
                        [delivery.recipient.email],
                        reply_to=_reply_to(announcement.author),
                    )
                    try:
                        connection.send_messages([message])
                    except smtplib.SMTPRecipientsRefused:
                        pass  # this address only: the server takes the others
                    else:
                        sent += 1
                    delivered.append(delivery.pk)
        finally:
            AnnouncementDelivery.objects.filter(pk__in=delivered).update(sent_at=timezone.now())
    return sent

"""In-app notifications: one row per person told about something (an answer, a decision, a
session), read in the site's header (an unread count) and on their notifications page.

A notification stores what happened (`kind`), who did it and a short subject (a thread's or a
record's title, as written): its sentence is rendered in the reader's language when it is shown,
never stored translated, so switching language switches the list too.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.links import path_in_language

#: A subject longer than this is cut (with an ellipsis) by `notify()`.
SUBJECT_MAX_LENGTH = 200
#: A notification's link: a path on this site.
URL_MAX_LENGTH = 500


class Notification(models.Model):
    """Something a person is told about, with a link to it; unread until they open or mark it."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer to your question")
        ACCEPTED = "accepted", _("Your answer was accepted")
        MENTION = "mention", _("Mention")
        REPLY = "reply", _("Reply in a topic you follow")
        ANNOUNCEMENT = "announcement", _("Announcement")
        RECORD_DECISION = "record_decision", _("Decision on a development record")
        REMINDER = "reminder", _("Reminder")
        SESSION_SCHEDULED = "session_scheduled", _("Live session scheduled")
        SESSION_CANCELLED = "session_cancelled", _("Live session cancelled")
        ASSIGNMENT_SUBMITTED = "assignment_submitted", _("Assignment submitted")
        ASSIGNMENT_GRADED = "assignment_graded", _("Assignment graded")
        PROJECT_UPDATE = "project_update", _("Change project update")
        CONTENT_REVIEW = "content_review", _("Content due for review")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        # The listing index below starts with the recipient.
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH, blank=True)
    url = models.CharField(_("link"), max_length=URL_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # When the daily digest e-mailed it: a second run the same day sends it again to no one.
    digested_at = models.DateTimeField(_("digested at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A person's list, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_listing"),
            # The header's unread count.
            models.Index(
                fields=["recipient"], condition=Q(read_at=None), name="notification_unread"
            ),
            # The daily digest: unread notifications not e-mailed yet, by age.
            models.Index(
                fields=["created_at"],
                condition=Q(read_at=None, digested_at=None),
                name="notification_undigested",
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """The sentence shown to the reader, in the active language."""
        return MESSAGES[self.kind] % {"subject": self.subject}

    @property
    def link(self) -> str:
        """The link in the active language (`notifications.links`)."""
        return path_in_language(self.url)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


Kind = Notification.Kind

#: One sentence per kind, rendered in the reader's language when shown (the subject as written).
MESSAGES = {
    Kind.ANSWER: _("New answer to your question “%(subject)s”"),
    Kind.ACCEPTED: _("Your answer in “%(subject)s” was accepted"),
    Kind.MENTION: _("You were mentioned in “%(subject)s”"),
    Kind.REPLY: _("New reply in “%(subject)s”"),
    Kind.ANNOUNCEMENT: _("Announcement: %(subject)s"),
    Kind.RECORD_DECISION: _("Your development record “%(subject)s” has a decision"),
    Kind.REMINDER: _("Reminder: %(subject)s"),
    Kind.SESSION_SCHEDULED: _("Live session scheduled: %(subject)s"),
    Kind.SESSION_CANCELLED: _("Live session cancelled: %(subject)s"),
    Kind.ASSIGNMENT_SUBMITTED: _("New submission for “%(subject)s”"),
    Kind.ASSIGNMENT_GRADED: _("Your assignment “%(subject)s” was graded"),
    Kind.PROJECT_UPDATE: _("Change project update: %(subject)s"),
    Kind.CONTENT_REVIEW: _("“%(subject)s” is due for review"),
}


class NotificationPreference(models.Model):
    """A person's choice about notification e-mails; without a row, the defaults hold."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    daily_digest = models.BooleanField(
        _("daily digest e-mail"),
        default=True,
        help_text=_("Once a day, an e-mail listing the notifications you have not read yet."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)

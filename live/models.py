"""A cohort's live sessions, who attended them, and each person's calendar feed."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Longest title, place and notes a session takes (the form and the service refuse more).
TITLE_MAX = 200
PLACE_MAX = 255
NOTES_MAX = 2000
URL_MAX = 500


class TimeZone(models.TextChoices):
    """Indonesia's three time zones: a session is held, shown and exported in its own."""

    WIB = "Asia/Jakarta", _("WIB (Western Indonesia Time)")
    WITA = "Asia/Makassar", _("WITA (Central Indonesia Time)")
    WIT = "Asia/Jayapura", _("WIT (Eastern Indonesia Time)")


class LiveSession(models.Model):
    """A meeting of a cohort at a set time: in a virtual classroom (an https link) or a place."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="live_sessions",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=TimeZone.choices, default=TimeZone.WIB
    )
    url = models.URLField(_("virtual classroom link"), max_length=URL_MAX, blank=True)
    place = models.CharField(_("place"), max_length=PLACE_MAX, blank=True)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # The ICS UID: stable across edits and cancellation, so a calendar app updates its event
    # instead of adding a second one; SEQUENCE grows with each change (RFC 5545 3.8.7.4).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["cohort", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="live_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(url="", place=""), name="live_session_has_link_or_place"
            ),
        ]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Attendance(models.Model):
    """Whether one member of the cohort attended one session, as the trainer recorded it.

    `record` is the verified development record the attended hours became (kept, revoked, when
    the attendance is corrected to absent): see `live.services.attendance_record`."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(
        "cohorts.CohortMembership", on_delete=models.CASCADE, related_name="live_attendances"
    )
    present = models.BooleanField(_("present"))
    record = models.OneToOneField(
        "development.DevelopmentRecord",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_attendance",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "membership"], name="live_one_attendance_per_member"
            )
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self):
        return f"{self.session_id} — {self.membership_id}: {self.present}"


class SessionNotice(models.Model):
    """One member's e-mail about one change of a session (scheduled, changed, cancelled):
    queued with the change, marked sent by the task, so a retry sends only what did not go.
    `sequence` is the session's after the change: each change is told once."""

    class Change(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RESCHEDULED = "rescheduled", _("Changed")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="notices")
    sequence = models.PositiveIntegerField()
    change = models.CharField(max_length=12, choices=Change.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sequence", "recipient"], name="live_one_notice_per_change"
            )
        ]
        verbose_name = _("session e-mail")
        verbose_name_plural = _("session e-mails")

    def __str__(self):
        return f"{self.session_id}#{self.sequence} → {self.recipient_id}"


def feed_token() -> str:
    """256 random bits, URL-safe: the calendar feed's only credential."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar address: calendar apps fetch it without a session cookie, so
    the token in the URL is the credential. Regenerating replaces it; revoking deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user_id}"

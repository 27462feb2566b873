"""Cohorts: runs of a course with dates and trainers, their members, invitations, imports and
reminders.

A cohort member is an ordinary `learners.Enrollment` tied to the cohort by a
`CohortMembership`, so progress, completion and certificates follow the learner's journey
unchanged; the cohort adds the schedule and the trainers who follow it.
"""

import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.inputs import validate_single_line

#: The dates a cohort may have: "Choose a date from 2000 to 2099."
COHORT_EARLIEST = date(2000, 1, 1)
COHORT_LATEST = date(2099, 12, 31)


class Cohort(models.Model):
    """A run of a course (angkatan/kelas) with its own trainers and schedule."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    name = models.CharField(_("name"), max_length=200)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        related_name="trained_cohorts",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enrollment_deadline = models.DateField(
        _("enrollment deadline"),
        null=True,
        blank=True,
        help_text=_("The last day learners may ask to join. Trainers can still add people."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("The most learners this cohort takes, invitations included. Empty: no limit."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            ),
        ]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return self.name

    def clean(self):
        # Dates centuries away (0001-9999) once grew the trainer's page to 2 GB: a cohort runs
        # in this century and lasts at most LENTERA_COHORT_MAX_DAYS.
        for name in ("starts_on", "ends_on", "enrollment_deadline"):
            day = getattr(self, name)
            if day and not COHORT_EARLIEST <= day <= COHORT_LATEST:
                raise ValidationError(
                    {
                        name: _("Choose a date from %(earliest)s to %(latest)s.")
                        % {"earliest": COHORT_EARLIEST.year, "latest": COHORT_LATEST.year}
                    }
                )
        try:
            validate_single_line(self.name)  # it goes in the subject of reminder e-mails
        except ValidationError as error:
            raise ValidationError({"name": error.messages}) from error
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A cohort cannot end before it starts.")})
        if (
            self.starts_on
            and self.ends_on
            and (self.ends_on - self.starts_on).days + 1 > settings.LENTERA_COHORT_MAX_DAYS
        ):
            raise ValidationError(
                {
                    "ends_on": _(
                        "A cohort lasts at most %(days)s days: split a longer programme into "
                        "several cohorts."
                    )
                    % {"days": settings.LENTERA_COHORT_MAX_DAYS}
                }
            )
        if self.enrollment_deadline and self.ends_on and self.enrollment_deadline > self.ends_on:
            raise ValidationError(
                {"enrollment_deadline": _("The enrollment deadline must be before the end.")}
            )


class CohortMembership(models.Model):
    """Ties an enrollment to the cohort it belongs to (at most one cohort per enrollment)."""

    class Via(models.TextChoices):
        TRAINER = "trainer", _("Added by a trainer")
        IMPORT = "import", _("Bulk import")
        REQUEST = "request", _("Asked to join")
        INVITATION = "invitation", _("Invitation accepted")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="memberships")
    enrollment = models.OneToOneField(
        "learners.Enrollment", on_delete=models.CASCADE, related_name="cohort_membership"
    )
    via = models.CharField(_("joined by"), max_length=20, choices=Via.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")

    def __str__(self):
        return f"{self.cohort_id} — {self.enrollment_id}"


class CohortLessonDue(models.Model):
    """An optional date by which a cohort's learners should have finished a lesson."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="lesson_dues")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="cohort_dues"
    )
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "lesson"], name="one_due_date_per_lesson")
        ]
        verbose_name = _("lesson due date")
        verbose_name_plural = _("lesson due dates")

    def __str__(self):
        return f"{self.cohort_id} — {self.lesson_id}: {self.due_on}"


def invitation_expiry() -> datetime:
    """When an invitation made (or sent again) now stops being valid."""
    return timezone.now() + timedelta(days=settings.LENTERA_INVITATION_DAYS)


class CohortInvitation(models.Model):
    """A seat kept for someone who has no account yet; taken when they sign up with this NIP or
    e-mail address, or follow the link e-mailed to them (see `cohorts.invitations`)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    nip = models.CharField("NIP", max_length=18, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    membership = models.OneToOneField(
        CohortMembership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An expired invitation frees its seat and its link is refused; a resend renews it.
    expires_at = models.DateTimeField(_("expires at"), default=invitation_expiry)
    # The last e-mail with the link: when it went and the trainer it came from (its Reply-To).
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(nip="", email=""), name="invitation_has_nip_or_email"
            ),
            models.UniqueConstraint(
                fields=["cohort", "nip"], condition=~models.Q(nip=""), name="one_invitation_per_nip"
            ),
            models.UniqueConstraint(
                fields=["cohort", "email"],
                condition=~models.Q(email=""),
                name="one_invitation_per_email",
            ),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email or self.nip

    @property
    def is_expired(self) -> bool:
        return self.accepted_at is None and self.expires_at <= timezone.now()


class CohortImport(models.Model):
    """An uploaded list of learners: checked first (dry run), applied later all at once.

    The classified rows are kept so the trainer applies exactly what they reviewed, and the
    import stays on record.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("learner import")
        verbose_name_plural = _("learner imports")

    def __str__(self):
        return self.filename


class Reminder(models.Model):
    """One reminder e-mail to one learner of a cohort; at most one per learner, cohort and day."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent (no e-mail address)")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reminders")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_reminders"
    )
    sent_on = models.DateField(_("date"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The reminders created by one request, so the task sends exactly those.
    batch = models.UUIDField(default=uuid.uuid4, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The mail server's last refusal, written by the sending task: a queued reminder with an
    # error is waiting for its retry; a failed one has used up its attempts.
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "learner", "sent_on"], name="one_reminder_per_learner_per_day"
            )
        ]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.cohort_id} — {self.learner_id} — {self.sent_on}"

"""What HR did about compliance: the reminders sent to staff below the yearly JP target."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceReminder(models.Model):
    """One reminder e-mail from HR to one PNS below the JP target, with the JP they had then.

    The log behind the rate limit (`LENTERA_COMPLIANCE_REMINDER_DAYS`, see
    `compliance.reminders`), shown on the person's page and in their data download.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent (no e-mail address)")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="compliance_reminders",
    )
    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The person's JP in `year` when HR sent it, as the report showed them.
    jp = models.DecimalField(_("JP at the time"), max_digits=9, decimal_places=2)
    target = models.PositiveSmallIntegerField(_("JP target"))
    # The reminders created by one request, so the task sends exactly those.
    batch = models.UUIDField(default=uuid.uuid4, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The mail server's last refusal, written by the sending task.
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "created_at"])]
        verbose_name = _("JP reminder")
        verbose_name_plural = _("JP reminders")

    def __str__(self):
        return f"{self.person_id} — {self.year} — {self.created_at:%Y-%m-%d}"

    @property
    def remaining(self) -> Decimal:
        """The JP the person still had to earn when it was sent."""
        return max(Decimal(0), Decimal(self.target) - self.jp)

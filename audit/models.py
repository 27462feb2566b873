"""The audit log (UU 27/2022, "UU PDP"): who processed whose personal data, and when.

The model depends on nothing but Django (the user and the organization are named by string), so
every app may record audit events without importing the apps built on it. Its table started in
the privacy app (privacy_auditevent) and moved here with its rows (audit/migrations/0001-0002).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One staff action on personal data, or one export: who, what, whose, when.

    One row per action or per export, never one per person shown, so a report of 50,000 people
    costs one insert. `actor_label` keeps the actor's name when their account is later removed;
    `organization` is the organization whose admins may read the event.
    """

    class Action(models.TextChoices):
        ENROLLMENT_CHANGED = "enrollment_changed", _("Enrollment changed")
        ENROLLMENT_DECIDED = "enrollment_decided", _("Enrollment request decided")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        EXPORT = "export", _("Report exported")
        REPORT_VIEWED = "report_viewed", _("Report viewed")
        PROFILE_EDITED = "profile_edited", _("Profile edited by staff")
        RECORD_VIEWED = "record_viewed", _("Record viewed by staff")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted at the holder's request")
        DATA_EXPORTED = "data_exported", _("Personal data downloaded by its holder")
        COHORT_TRAINERS_CHANGED = "cohort_trainers_changed", _("Cohort trainers changed")
        SUPERVISOR_LINK_DECIDED = "supervisor_link_decided", _("Supervisor link decided by HR")
        MEMBERSHIP_DECIDED = "membership_decided", _("Organization membership decided")
        STAFF_LIST_IMPORTED = "staff_list_imported", _("Staff list imported")
        NIP_CLAIM_DECIDED = "nip_claim_decided", _("NIP claim decided")
        DEVELOPMENT_RECORD_DECIDED = (
            "development_record_decided",
            _("Development record verified, rejected, returned or revoked"),
        )
        COACHING_AGREEMENT_ACCEPTED = (
            "coaching_agreement_accepted",
            _("Coaching or mentoring agreement accepted"),
        )
        COACHING_SESSION_CONFIRMED = (
            "coaching_session_confirmed",
            _("Coaching or mentoring session confirmed"),
        )
        DEVELOPMENT_PLAN_DECIDED = (
            "development_plan_decided",
            _("Development plan agreed or returned"),
        )
        COMPLIANCE_REMINDERS_SENT = (
            "compliance_reminders_sent",
            _("JP reminders sent to staff below target"),
        )

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=255, blank=True)
    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    # Whose data; empty for an export or report covering many people.
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("data subject"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_as_subject",
    )
    # What was acted on, in words that name no person (a course, a cohort, a serial number).
    target = models.CharField(_("object"), max_length=255, blank=True)
    # Format, filters and the like; never personal data.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "created_at"]),
            models.Index(fields=["subject_user", "created_at"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def detail_shown(self) -> list[tuple[str, object]]:
        """The detail's entries with a value: a filter left empty was stored as None, which
        means nothing to the reader ("unit: None")."""
        return [(key, value) for key, value in self.detail.items() if value not in (None, "")]

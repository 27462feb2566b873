"""Competency development outside Lentera's courses (Perlan 10/2018: classical and non-classical
forms), recorded by the learner and verified by their direct supervisor or their HR admin.

The forms and their rules are data, not code: `DevelopmentForm` carries the SIASN `jenisDiklat`
mapping an admin can correct, and `FormRule` the caps and the evidence each form needs, as a
national default (no organization) that an organization may override for its own people.
"""

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class DevelopmentForm(models.Model):
    """One form of development (seminar, coaching, self-study...), classical or not."""

    class Mode(models.TextChoices):
        CLASSICAL = "klasikal", _("Classroom (klasikal)")
        NON_CLASSICAL = "nonklasikal", _("Non-classroom (nonklasikal)")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    # SIASN's training-type reference; empty where no type clearly applies.
    siasn_jenis_diklat_id = models.PositiveIntegerField(
        _("SIASN training type id"), null=True, blank=True
    )
    siasn_jenis_diklat_name = models.CharField(_("SIASN training type"), max_length=100, blank=True)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)
    active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("mode"),
        FieldPanel("siasn_jenis_diklat_id"),
        FieldPanel("siasn_jenis_diklat_name"),
        FieldPanel("ordering"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["mode", "ordering", "name"]
        verbose_name = _("development form")
        verbose_name_plural = _("development forms")

    def __str__(self):
        return self.name


class FormRule(models.Model):
    """The caps and the evidence one form needs: the national default (no organization) or an
    organization's own rule for its people."""

    class Evidence(models.TextChoices):
        NONE = "none", _("None")
        REPORT = "report", _("A report of what was learned")
        FILE_OR_LINK = "file_or_link", _("A file or a link")
        REPORT_AND_FILE_OR_LINK = "report_and_evidence", _("A report and a file or a link")

    form = models.ForeignKey(
        DevelopmentForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="rules"
    )
    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for the national default."),
    )
    max_jp_per_activity = models.DecimalField(
        _("maximum JP per activity"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Empty for no cap."),
    )
    max_jp_per_year = models.DecimalField(
        _("maximum JP per year"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Empty for no cap."),
    )
    evidence = models.CharField(
        _("evidence required"), max_length=20, choices=Evidence.choices, default=Evidence.NONE
    )

    panels = [
        FieldPanel("form"),
        FieldPanel("organization"),
        FieldPanel("max_jp_per_activity"),
        FieldPanel("max_jp_per_year"),
        FieldPanel("evidence"),
    ]

    class Meta:
        ordering = ["form__mode", "form__ordering", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "organization"], name="development_rule_one_per_organization"
            ),
            models.UniqueConstraint(
                fields=["form"],
                condition=models.Q(organization__isnull=True),
                name="development_rule_one_national_default",
            ),
        ]
        verbose_name = _("form rule")
        verbose_name_plural = _("form rules")

    def __str__(self):
        return f"{self.form} · {self.organization or _('national default')}"

    @property
    def needs_report(self) -> bool:
        return self.evidence in (self.Evidence.REPORT, self.Evidence.REPORT_AND_FILE_OR_LINK)

    @property
    def needs_file_or_link(self) -> bool:
        return self.evidence in (
            self.Evidence.FILE_OR_LINK,
            self.Evidence.REPORT_AND_FILE_OR_LINK,
        )


class DevelopmentRecord(models.Model):
    """One activity of development the learner took part in, and its verification."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for verification")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="development_records",
    )
    form = models.ForeignKey(
        DevelopmentForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="records"
    )
    title = models.CharField(_("title"), max_length=255)
    organizer = models.CharField(_("organizer"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    competencies = models.ManyToManyField(
        "content.Competency",
        verbose_name=_("competencies"),
        blank=True,
        related_name="development_records",
    )
    report = models.TextField(
        _("report"),
        blank=True,
        help_text=_("What you learned and how you will apply it in your work."),
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # Computed by the services from the hours and capped by the form's rule.
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2, default=0)
    # What the record adds to its owner's JP, decided on verification: `jp` within what is left
    # of the form's yearly cap for the owner and the year of `end_date` (services.credit_year).
    # Every JP figure sums this over verified records; 0 until verified.
    jp_credited = models.DecimalField(_("JP credited"), max_digits=6, decimal_places=2, default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-end_date", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            # The JP a person's verified records give in a year (every JP figure), read from the
            # index alone (its last column is the JP): the compliance report sums it for each of
            # an organization's 50,000 staff without visiting their records' rows.
            models.Index(
                fields=["owner", "status", "end_date", "jp_credited"],
                name="development_owner_jp_cover",
            ),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="development_record_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="development_record_hours_positive"
            ),
            # One activity is recorded once (a rejected record may be recorded again); the
            # service says so in words, this catches two submissions racing each other.
            models.UniqueConstraint(
                models.F("owner"),
                models.F("form"),
                Lower("title"),
                models.F("start_date"),
                models.F("end_date"),
                condition=~models.Q(status="rejected"),
                name="development_record_once",
            ),
        ]
        verbose_name = _("development record")
        verbose_name_plural = _("development records")

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.CHANGES_REQUESTED)


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    # The owner's id and a random name: the original name is kept in a field, never in the path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"development/{instance.record.owner_id}/{secrets.token_hex(16)}.{extension}"


def private_storage():
    """Storage only Lentera's views serve from (see `views.evidence_download`)."""
    return storages["private"]


class EvidenceFile(models.Model):
    """A file proving a record (a certificate, a photo, a document), stored privately: only the
    owner, their confirmed supervisor and their organization's HR admin download it."""

    record = models.ForeignKey(
        DevelopmentRecord,
        verbose_name=_("record"),
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    file = models.FileField(
        _("file"), upload_to=evidence_upload_to, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name

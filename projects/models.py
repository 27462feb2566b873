"""Change projects (proyek perubahan) of leadership training and the public innovation gallery.

In PKP, PKA and PKN a learner carries out a change at their workplace: they propose it, their
direct supervisor (atasan langsung) mentors it, a trainer of their cohort (widyaiswara) coaches
it, they report its milestones with evidence and a final report the coach assesses. With the
learner's consent and the coach's approval of its public summary, a passed project is shown in
the public gallery for other agencies to learn from.
"""

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
TEXT_MAX = 5000
SUMMARY_MAX = 3000
COMMENT_MAX = 2000
URL_MAX = 500
#: The most milestones a project plans (a PKN project runs some three months).
MILESTONES_MAX = 12


class Topic(models.TextChoices):
    """What a change is about: the gallery's topic filter."""

    PUBLIC_SERVICE = "public_service", _("Public service")
    DIGITAL = "digital", _("Digital government")
    REFORM = "reform", _("Bureaucratic reform")
    PEOPLE = "people", _("Human resources")
    FINANCE = "finance", _("Finance and budgeting")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    ENVIRONMENT = "environment", _("Environment")
    ECONOMY = "economy", _("Economy and investment")
    OTHER = "other", _("Other")


class ChangeProject(models.Model):
    """One learner's change project in one enrollment of a course that requires one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        IN_PROGRESS = "in_progress", _("In progress")
        FINAL_SUBMITTED = "final_submitted", _("Final report submitted")
        REVISE = "revise", _("Final report to revise")
        PASSED = "passed", _("Passed")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        REVISE = "revise", _("Revise")

    enrollment = models.OneToOneField(
        "learners.Enrollment", on_delete=models.CASCADE, related_name="change_project"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="change_projects",
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        related_name="change_projects",
    )
    # The learner's agency when they proposed: the gallery's agency filter.
    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_projects",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentored_projects",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coached_projects",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    problem = models.TextField(_("problem"), max_length=TEXT_MAX)
    goals = models.TextField(_("goals"), max_length=TEXT_MAX)
    stakeholders = models.TextField(_("stakeholders"), max_length=TEXT_MAX)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    mentor_approved_at = models.DateTimeField(null=True, blank=True)
    coach_approved_at = models.DateTimeField(null=True, blank=True)
    final_report = models.TextField(_("final report"), max_length=TEXT_MAX * 2, blank=True)
    final_submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    assessment_notes = models.TextField(_("assessment notes"), max_length=TEXT_MAX, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    # Publication: the learner writes the public summary and consents (UU 27/2022: publishing
    # is optional, so it needs consent, which can be withdrawn); the coach approves the summary.
    public_summary = models.TextField(_("public summary"), max_length=SUMMARY_MAX, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    summary_approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_year = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["published_at"], name="project_published"),
            models.Index(fields=["cohort", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="project_score_at_most_100",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(consent_at__isnull=False, status="passed"),
                name="project_published_only_passed_with_consent",
            ),
        ]
        verbose_name = _("change project")
        verbose_name_plural = _("change projects")

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Milestone(models.Model):
    """A planned step of a project with its due date, and the learner's report on it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REPORTED = "reported", _("Reported")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    report = models.TextField(_("report"), max_length=TEXT_MAX, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=URL_MAX, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"], name="project_milestone_position_unique"
            )
        ]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


def private_storage():
    """Storage only Lentera's views serve from (see `views.evidence_download`)."""
    return storages["private"]


def evidence_upload_to(instance: "MilestoneEvidence", filename: str) -> str:
    # A random name: the original name is kept in a field, never in the path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"projects/{instance.milestone.project_id}/{secrets.token_hex(16)}.{extension}"


class MilestoneEvidence(models.Model):
    """A file proving a milestone, stored privately: the learner, mentor and coach download it."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, storage=private_storage, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("milestone evidence")
        verbose_name_plural = _("milestone evidence")

    def __str__(self):
        return self.original_name


class ProjectComment(models.Model):
    """A private remark by the learner, mentor or coach on a project or one of its milestones."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="comments")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("project comment")
        verbose_name_plural = _("project comments")

    def __str__(self):
        return f"{self.project_id}: {self.body[:40]}"

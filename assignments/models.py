"""Assignment lessons and learners' submissions to them, graded by trainers on a rubric.

`AssignmentPage` stays declarative content: a learner's submissions reach its template through
`{% assignment_state %}` (assignments/templatetags/assignment_tags.py), so this module imports no
learner code (the "page-models" import contract).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField

from assignments.blocks import RubricCriterionBlock, criterion_max_points
from assignments.page_forms import FILE_TYPES, AssignmentPageForm
from content.models import BasePage
from courses.models import LessonPage

#: The largest file an editor may allow, in MB (the web server's upload limit is above it).
MAX_FILE_MB = 20
#: Files per submission.
MAX_FILES = 5
TEXT_MAX = 20000
FEEDBACK_MAX = 5000


class AssignmentPage(LessonPage):
    """A task the learner hands in (text and/or files) and a trainer grades on a rubric.

    Like a quiz it *is* a lesson, completed only by its activity: grading at or above the pass
    mark completes it (`learners.progress.lesson_complete`, source "assignment"), so progress,
    the certificate and JP follow with no change to the course's completion rule.

    The due date counts days from the learner's enrollment rather than a fixed date: courses are
    self-paced and open all year, so a fixed date would be already past for whoever enrolls
    after it; cohorts with a common calendar set fixed dates for lessons already
    (`cohorts.CohortLessonDue`). A late submission is flagged for the trainer, never refused.
    """

    # Learners complete an assignment by having it graded as passed, never with "mark as done".
    completed_by_learner = False

    due_days = models.PositiveSmallIntegerField(
        _("due (days after enrollment)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Leave empty for no due date. Submissions after it are accepted and marked late."
        ),
    )
    allow_text = models.BooleanField(_("learners may write their answer"), default=True)
    allowed_file_types = models.JSONField(
        _("allowed file types"),
        default=list,
        blank=True,
        help_text=_("Leave all unticked for a written answer only."),
    )
    max_file_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FILE_MB)],
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The lowest score, in percent of the rubric's points, that passes."),
    )
    rubric = StreamField(
        [("criterion", RubricCriterionBlock())],
        verbose_name=_("rubric"),
        help_text=_("The criteria the trainer scores, each from 0 to its highest level's points."),
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required_for_completion")]),
        FieldPanel("body", heading=_("Instructions")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("due_days"), FieldPanel("pass_mark")]),
                FieldPanel("allow_text"),
                FieldPanel("allowed_file_types"),
                FieldPanel("max_file_mb"),
            ],
            heading=_("Submission"),
        ),
        FieldPanel("rubric"),
    ]
    search_fields = LessonPage.search_fields
    api_fields = LessonPage.api_fields + [
        APIField("due_days"),
        APIField("allow_text"),
        APIField("allowed_file_types"),
        APIField("max_file_mb"),
        APIField("pass_mark"),
        APIField("rubric"),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    base_form_class = AssignmentPageForm

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def clean(self):
        super().clean()
        unknown = set(self.allowed_file_types or []) - set(FILE_TYPES)
        if unknown:
            raise ValidationError({"allowed_file_types": _("Choose file types from the list.")})
        if not self.allow_text and not self.allowed_file_types:
            raise ValidationError(
                {"allow_text": _("Learners need a way to answer: allow text, files or both.")}
            )

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    def criteria(self) -> list[dict]:
        """The rubric's criteria: id, name, description, levels and maximum points."""
        return [
            {
                "id": child.id,
                "name": child.value["name"],
                "description": child.value["description"],
                "levels": sorted(
                    child.value["levels"], key=lambda level: level["points"], reverse=True
                ),
                "max_points": criterion_max_points(child.value),
            }
            for child in self.rubric
        ]

    @property
    def max_points(self) -> int:
        return sum(criterion["max_points"] for criterion in self.criteria())


def submission_file_upload_to(instance: "SubmissionFile", filename: str) -> str:
    # The owner's id and a random name: the original name is kept in a field, never in the path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"assignments/{instance.submission.user_id}/{secrets.token_hex(16)}.{extension}"


def private_storage():
    """Storage only Lentera's views serve from (`assignments.views.file_download`), never
    under MEDIA_URL."""
    return storages["private"]


class Submission(models.Model):
    """One version of a learner's work on an assignment, and the trainer's grade of it.

    A learner submits once; a trainer grades the submission or returns it for resubmission,
    after which the learner submits a new version (earlier versions are kept). Versions are
    numbered per enrollment and assignment under a lock on the enrollment row, and at most one
    version per learner and assignment awaits grading at a time.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting grading")
        GRADED = "graded", _("Graded")
        RETURNED = "returned", _("Needs resubmission")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignment_submissions"
    )
    # PROTECT, as for quizzes: an assignment with learners' work can be unpublished, not deleted.
    assignment = models.ForeignKey(
        AssignmentPage, on_delete=models.PROTECT, related_name="submissions"
    )
    enrollment = models.ForeignKey(
        "learners.Enrollment", on_delete=models.PROTECT, related_name="assignment_submissions"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("answer"), max_length=TEXT_MAX, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # {criterion block id: points}, as the trainer scored them.
    criterion_scores = models.JSONField(default=dict, blank=True)
    points = models.PositiveIntegerField(_("points"), null=True, blank=True)
    max_points = models.PositiveIntegerField(_("maximum points"), null=True, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), default=False)
    feedback = models.TextField(_("feedback"), max_length=FEEDBACK_MAX, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["assignment", "status", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "assignment", "version"],
                name="assignment_one_version_number",
            ),
            models.UniqueConstraint(
                fields=["user", "assignment"],
                condition=models.Q(status="submitted"),
                name="assignment_one_awaiting_grading",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="assignment_version_from_1"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="assignment_score_0_to_100",
            ),
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self):
        return f"{self.user_id} — {self.assignment_id} v{self.version} ({self.status})"


class SubmissionFile(models.Model):
    """A file handed in with a submission, stored privately: only the learner and the trainers
    of their course or cohort download it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        _("file"), upload_to=submission_file_upload_to, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")

    def __str__(self):
        return self.original_name

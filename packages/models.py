"""E-learning packages (SCORM 1.2, SCORM 2004 3rd/4th edition, H5P) and the lessons that play them.

`Package` is what an editor uploaded, once validated (`packages.validation`), parsed
(`packages.manifests`) and extracted (`packages.storage`) by `packages.imports.package_import`;
it never changes afterwards, so its files can be served as immutable under its `uuid`.
`PackageLessonPage` is declarative content like `quizzes.QuizPage`: the learner's attempt and
the runtime's state reach its template through the learner side of this app (selectors,
template tags), so this module imports no learner code (string foreign keys only).
"""

from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField

from content.models import BasePage
from courses.models import CoursePage, LessonPage
from packages.page_forms import PackageLessonPageForm


def package_storage():
    """Where packages' sources and extracted files are kept: the private storage, never under
    MEDIA_URL, so a package's pages can be served only by the package origin's own views and
    never from the site's origin (where its scripts could act as the learner)."""
    return storages["private"]


class Package(models.Model):
    """An uploaded package, validated and extracted; immutable once stored.

    Its files live in `package_storage()` under `packages/<uuid>/` and are served only from
    the package origin (see the README, "Packages"): the uuid is the URL key there, so a
    package's files are never addressed by its database id.
    """

    class Kind(models.TextChoices):
        SCORM12 = "scorm12", _("SCORM 1.2")
        SCORM2004 = "scorm2004", _("SCORM 2004")
        H5P = "h5p", _("H5P")

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="packages",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    # "1.2", "2004 3rd Edition", "2004 4th Edition", or the H5P main library ("H5P.X 1.2").
    schema_version = models.CharField(_("version"), max_length=40, blank=True, editable=False)
    source_file = models.FileField(
        _("uploaded file"), upload_to="packages/sources/", storage=package_storage
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    # The parsed manifest (packages.manifests): items, launch files, thresholds, sequencing.
    manifest = models.JSONField(_("manifest"), editable=False)
    file_count = models.PositiveIntegerField(_("files"), editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("e-learning package")
        verbose_name_plural = _("e-learning packages")

    def __str__(self):
        return self.title

    @property
    def items(self) -> list[dict]:
        """The launchable items of the package, in outline order."""
        return (self.manifest or {}).get("items", [])


class PackageLessonPage(LessonPage):
    """A lesson that plays an e-learning package (SCORM 1.2, SCORM 2004 or H5P).

    A lesson, like `quizzes.QuizPage`, so it sits in the course outline, counts in progress and
    gets its completion through the same service as any lesson; the package itself is a
    separate `Package` row, so one upload can serve several courses of its organization. The
    body holds the instructions shown above the player.
    """

    # Completed only by the runtime (the package reports completion), never by "mark as done".
    completed_by_learner = False

    package = models.ForeignKey(
        Package,
        verbose_name=_("package"),
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "For H5P: the lowest score, in percent, that completes the lesson. Leave empty to "
            "complete on any finished attempt. SCORM packages follow their own mastery rules."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required_for_completion")]),
        FieldPanel("body", heading=_("Instructions")),
        MultiFieldPanel(
            [FieldPanel("package"), FieldPanel("pass_mark")],
            heading=_("Package"),
        ),
        FieldPanel("transcript"),
    ]
    search_fields = LessonPage.search_fields
    api_fields = LessonPage.api_fields + [APIField("pass_mark")]

    base_form_class = PackageLessonPageForm
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    template = "packages/package_lesson_page.html"

    def clean(self):
        """The package belongs to the organization providing the lesson's course.

        The admin form offers only those; this holds for every other way a lesson is saved
        live too (a copy into another organization's course, a revision published later).
        A lesson not yet in the tree (the admin's create form) is checked by its form."""
        super().clean()
        if self.package_id is None or not self.path:
            return
        provider_id = (
            CoursePage.objects.ancestor_of(self).values_list("provider_id", flat=True).first()
        )
        organization_id = (
            Package.objects.filter(pk=self.package_id)
            .values_list("organization_id", flat=True)
            .first()
        )
        if provider_id is None or organization_id != provider_id:
            raise ValidationError(
                {
                    "package": ValidationError(
                        _("Choose a package of the organization that provides this course."),
                        code="other_organization",
                    )
                }
            )

    class Meta:
        verbose_name = _("package lesson")
        verbose_name_plural = _("package lessons")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__isnull=True) | models.Q(pass_mark__lte=100),
                name="package_lesson_pass_mark_at_most_100",
            ),
        ]


class PackageAttempt(models.Model):
    """A learner's run through a package lesson: one per enrollment (v1)."""

    enrollment = models.ForeignKey(
        "learners.Enrollment", on_delete=models.CASCADE, related_name="package_attempts"
    )
    lesson = models.ForeignKey(PackageLessonPage, on_delete=models.CASCADE, related_name="attempts")
    # The package that was played: an attempt keeps its package even if the lesson changes.
    package = models.ForeignKey(Package, on_delete=models.PROTECT)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="one_package_attempt_per_enrollment"
            ),
        ]
        verbose_name = _("package attempt")
        verbose_name_plural = _("package attempts")

    def __str__(self):
        return f"{self.enrollment_id} — {self.lesson_id}"


class ScoState(models.Model):
    """The runtime data (cmi) of one SCO of an attempt; for H5P the single item "h5p"."""

    attempt = models.ForeignKey(PackageAttempt, on_delete=models.CASCADE, related_name="scos")
    item = models.CharField(_("item"), max_length=255)
    # Validated by packages.runtime, in scorm-again's nested JSON form; H5P: {"state": str}.
    cmi = models.JSONField(default=dict, blank=True)
    # Normalized: "not attempted" | "incomplete" | "completed" | "unknown".
    completion_status = models.CharField(
        _("completion status"), max_length=20, default="not attempted"
    )
    # "passed" | "failed" | "unknown".
    success_status = models.CharField(_("success status"), max_length=20, default="unknown")
    score_raw = models.FloatField(_("raw score"), null=True, blank=True)
    score_min = models.FloatField(_("minimum score"), null=True, blank=True)
    score_max = models.FloatField(_("maximum score"), null=True, blank=True)
    # In [-1, 1] (SCORM 2004 cmi.score.scaled).
    score_scaled = models.FloatField(_("scaled score"), null=True, blank=True)
    total_time = models.DurationField(_("total time"), default=timedelta(0))
    session_count = models.PositiveIntegerField(_("sessions"), default=0)
    # The device time of the newest commit applied: older commits are not applied.
    last_event_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item"], name="one_sco_state_per_item"),
        ]
        verbose_name = _("SCO state")
        verbose_name_plural = _("SCO states")

    def __str__(self):
        return f"{self.attempt_id} — {self.item}"


class RuntimeCommit(models.Model):
    """Idempotency log of the runtime: one row per commit or xAPI event applied (or refused as
    older than the state), so a retried or queued-offline commit is applied once."""

    event_id = models.UUIDField(unique=True)
    sco = models.ForeignKey(ScoState, on_delete=models.CASCADE, related_name="commits")
    committed_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    terminate = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("runtime commit")
        verbose_name_plural = _("runtime commits")

    def __str__(self):
        return str(self.event_id)

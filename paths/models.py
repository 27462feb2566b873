"""Learning paths: an ordered set of courses and non-classical activities toward a position or a
competency level, published by an organization's editors as a Wagtail page in its catalog
section (Catalog -> Provider section -> Learning path, beside its courses).

The page is declarative: it names its steps and its target. What a learner has done along it
(followers, progress, certificates) is the learner side of this app (`paths.services`,
`paths.selectors`, the template tags), which the page model never imports: other apps' models are
referenced by string only (the `page-models` import contract in pyproject.toml).
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from content.blocks import PARAGRAPH_FEATURES
from content.models import BasePage, Competency, ProvidedPage, competencies_localized
from content.serializers import OrganizationSerializer
from courses.models import ProviderPage
from paths.forms import LearningPathPageForm, step_problems
from paths.serializers import PathStepSerializer


class LearningPathPage(ProvidedPage, BasePage):
    """A learning path: steps in order, each a Lentera course or a non-classical activity,
    required or optional, toward a position (jabatan) and/or a competency at a level.

    It lives in its organization's catalog section, so that organization's editors write it
    and its moderators publish it, as they do its courses.
    """

    section_model = ProviderPage
    base_form_class = LearningPathPageForm

    intro = RichTextField(_("introduction"), features=PARAGRAPH_FEATURES)
    target_position = models.ForeignKey(
        "learners.Position",
        verbose_name=_("target position"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The position (jabatan) the path prepares for, if any."),
    )
    target_competency = models.ForeignKey(
        "content.Competency",
        verbose_name=_("target competency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The proficiency level (1-5) of the target competency the path reaches."),
    )
    certificate_enabled = models.BooleanField(
        _("issues a certificate"),
        default=True,
        help_text=_("Learners who complete every required step receive a path certificate."),
    )
    signatory_name = models.CharField(_("signatory name"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("signatory NIP"), max_length=18, blank=True)
    signatory_title = models.CharField(_("signatory position"), max_length=200, blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("target_position"),
                FieldRowPanel([FieldPanel("target_competency"), FieldPanel("target_level")]),
                FieldPanel("provider", read_only=True),
            ],
            heading=_("Target"),
        ),
        InlinePanel("steps", heading=_("Steps"), label=_("Step"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("certificate_enabled"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_nip"),
                FieldPanel("signatory_title"),
            ],
            heading=_("Certificate"),
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.FilterField("provider"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("intro"),
        APIField("provider", serializer=OrganizationSerializer()),
        APIField("target_position_name"),
        APIField("target_competency_code"),
        APIField("target_level"),
        APIField("steps", serializer=PathStepSerializer(many=True)),
        APIField("certificate_enabled"),
    ]

    parent_page_types = ["courses.ProviderPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_level__isnull=True)
                | models.Q(target_level__gte=1, target_level__lte=5),
                name="path_target_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(target_competency__isnull=True, target_level__isnull=True)
                | models.Q(target_competency__isnull=False, target_level__isnull=False),
                name="path_target_competency_with_level",
            ),
        ]

    @property
    def target_position_name(self) -> str:
        return self.target_position.name if self.target_position_id else ""

    @cached_property
    def target_competency_shown(self) -> Competency | None:
        """The target competency with its name in the reader's language
        (`Competency.shown_name`), in the one query that reads it."""
        if self.target_competency_id is None:
            return None
        return competencies_localized(
            Competency.objects.filter(pk=self.target_competency_id)
        ).first()

    @property
    def target_competency_code(self) -> str:
        return self.target_competency.code if self.target_competency_id else ""

    # The steps and the follower's progress reach the template through `{% path_progress_of %}`
    # (paths.templatetags), never through the page model.

    def clean(self):
        super().clean()
        errors = {}
        if (self.target_competency_id is None) != (self.target_level is None):
            message = _("Give the target competency and its level together.")
            errors["target_level" if self.target_competency_id else "target_competency"] = message
        if errors:
            raise ValidationError(errors)
        # Steps set in code (the demo, tests) are checked here; in the admin the form checks
        # the submitted steps, which the page does not hold yet (`LearningPathPageForm`).
        problems = step_problems(
            (step.course_id, step.development_form_id, step.required) for step in self.steps.all()
        )
        if problems:
            raise ValidationError(problems)


class LearningPathStep(Orderable):
    """One step of a path: a Lentera course, or a non-classical activity of a development form
    recorded (and verified) with at least `min_jp` JP."""

    page = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        # A course a path relies on is removed from the path first.
        on_delete=models.PROTECT,
        related_name="+",
    )
    development_form = models.ForeignKey(
        "development.DevelopmentForm",
        verbose_name=_("non-classical activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"mode": "nonklasikal", "active": True},
        help_text=_("Instead of a course: a form of development outside Lentera's courses."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the learner does in this activity (for a non-classical step)."),
    )
    min_jp = models.DecimalField(
        _("minimum JP"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("The JP a verified record of this activity must reach to count."),
    )
    required = models.BooleanField(_("required"), default=True)

    panels = [
        PageChooserPanel("course", "courses.CoursePage"),
        FieldPanel("development_form"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("min_jp"), FieldPanel("required")]),
    ]
    api_fields = [
        APIField("course_id"),
        APIField("development_form_id"),
        APIField("description"),
        APIField("min_jp"),
        APIField("required"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("path step")
        verbose_name_plural = _("path steps")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, development_form__isnull=True)
                    | models.Q(course__isnull=True, development_form__isnull=False, min_jp__gt=0)
                ),
                name="path_step_course_xor_activity",
            ),
            models.UniqueConstraint(
                fields=["page", "course"],
                condition=models.Q(course__isnull=False),
                name="path_step_course_once",
            ),
        ]

    def __str__(self):
        return str(self.course or self.development_form or "")

    @property
    def is_course(self) -> bool:
        return self.course_id is not None

    def clean(self):
        super().clean()
        if (self.course_id is None) == (self.development_form_id is None):
            raise ValidationError(
                _("A step is either a course or a non-classical activity: choose one."),
                code="course_xor_activity",
            )
        if self.development_form_id is not None:
            errors = {}
            if self.min_jp is None:
                errors["min_jp"] = _("Give the JP a record of this activity must reach.")
            if not self.description.strip():
                errors["description"] = _("Describe what the learner does in this activity.")
            if errors:
                raise ValidationError(errors)
        elif self.min_jp is not None:
            raise ValidationError(
                {"min_jp": _("A course step counts when the course is completed: leave it empty.")}
            )


def private_storage():
    """Storage only Lentera's views serve from (the PDF carries the holder's NIP)."""
    return storages["private"]


def _new_verification_code() -> str:
    return secrets.token_urlsafe(24)


class PathEnrollment(models.Model):
    """A learner following a path, from `started_at` until every required step is done
    (`completed_at`, when the path certificate is issued)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="path_enrollments",
    )
    path = models.ForeignKey(
        LearningPathPage,
        verbose_name=_("learning path"),
        # A path with followers is unpublished, never deleted (as a course with learners).
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="path_enrollment_once"),
        ]
        indexes = [models.Index(fields=["user", "completed_at"])]
        verbose_name = _("path enrollment")
        verbose_name_plural = _("path enrollments")

    def __str__(self):
        return f"{self.user_id} → {self.path_id}"


class PathCertificate(models.Model):
    """The certificate of a completed path, every printed field frozen at issue time.

    Its fields carry the names of the course certificate's (`learners.models.Certificate`) so
    that the same PDF drawing (`learners.certificate_pdf`) prints both.
    """

    enrollment = models.OneToOneField(
        PathEnrollment,
        verbose_name=_("path enrollment"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    serial = models.CharField(_("serial number"), max_length=60, unique=True, null=True)
    code = models.CharField(
        _("verification code"), max_length=64, unique=True, default=_new_verification_code
    )
    issued_at = models.DateTimeField(_("issued at"))
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_nip = models.CharField("NIP", max_length=18, blank=True)
    holder_agency = models.CharField(_("agency"), max_length=255, blank=True)
    holder_position = models.CharField(_("position"), max_length=255, blank=True)
    holder_rank_grade = models.CharField(_("rank/grade"), max_length=100, blank=True)
    path_page_id = models.PositiveIntegerField()
    path_title = models.CharField(_("learning path"), max_length=255)
    # The JP of the steps counted: the courses' JP and the non-classical steps' minimum.
    jp = models.DecimalField("JP", max_digits=6, decimal_places=2)
    competencies = models.JSONField(_("competencies"), default=list)
    # The steps done, as printed on the verification page: [{"title", "kind", "required"}].
    steps = models.JSONField(_("steps"), default=list)
    provider_name = models.CharField(_("issuer"), max_length=255)
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"))
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_nip = models.CharField(max_length=18, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    pdf = models.FileField(upload_to="path-certificates/%Y/", storage=private_storage, blank=True)

    # What the course certificate's PDF prints and a path certificate does not have.
    valid_until = None
    pass_band = ""

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("path certificate")
        verbose_name_plural = _("path certificates")

    def __str__(self):
        return self.serial or self.code

    @property
    def course_title(self) -> str:
        """The title the certificate drawing prints (the path's)."""
        return self.path_title

    @property
    def learning_mode(self) -> str:
        # In the language the drawing runs in: Indonesian on the official certificate ("jalur
        # belajar"), the reader's on a translation of it.
        return pgettext("certificate", "learning path")

    @property
    def is_revoked(self) -> bool:
        return False

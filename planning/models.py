"""The yearly individual development plan (IDP, rencana pengembangan kompetensi individu).

PP 17/2020 art. 203-206: each civil servant's development is planned each year from the gap
between their competency and their position's standard, and agreed with their direct
supervisor. A plan lists activities: Lentera courses or forms of development outside them
(`development.DevelopmentForm`), each with a target date in the plan's year and the JP planned.

The competency profile itself is read, never stored: `planning.selectors.competency_profile`
builds it from the evidence other apps keep.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DevelopmentPlan(models.Model):
    """One person's development plan for one calendar year, agreed with their confirmed direct
    supervisor. Every change goes through `planning.services`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for the supervisor")
        AGREED = "agreed", _("Agreed")
        RETURNED = "returned", _("Returned for changes")

    #: The statuses in which the owner may change the plan's activities.
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("civil servant"),
        on_delete=models.CASCADE,
        related_name="development_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The supervisor's note: why the plan was returned, or what they said agreeing it.
    supervisor_note = models.TextField(_("supervisor's note"), max_length=2000, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "year"], name="planning_one_plan_per_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="planning_plan_year"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="agreed") | models.Q(agreed_at__isnull=False),
                name="planning_agreed_plan_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "year"])]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")

    def __str__(self):
        return f"{self.user_id} — {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class PlanItem(models.Model):
    """One planned activity: a Lentera course or a form of development outside courses."""

    plan = models.ForeignKey(
        DevelopmentPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )
    # Exactly one of `course` and `form` (a database constraint).
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("Lentera course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    form = models.ForeignKey(
        "development.DevelopmentForm",
        verbose_name=_("form of development"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    competency = models.ForeignKey(
        "content.Competency",
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    need = models.ForeignKey(
        "evaluation.LearningNeed",
        verbose_name=_("learning need"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_date = models.DateField(_("target date"))
    planned_jp = models.DecimalField(_("planned JP"), max_digits=6, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["target_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, form__isnull=True)
                | models.Q(course__isnull=True, form__isnull=False),
                name="planning_item_course_or_form",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_jp__gt=0), name="planning_item_jp_positive"
            ),
        ]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")

    def __str__(self):
        return self.title

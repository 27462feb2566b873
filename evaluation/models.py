"""The evaluation loop's data: Kirkpatrick L1 (reaction) and L3 (behaviour), learning needs, and
public feedback on service units.

Every write goes through `evaluation.services`; the invariants that matter (one evaluation and
one follow-up per enrollment, Likert scores 1-5, a target level above the current one) are
database constraints.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

LIKERT_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
#: Questions a learner may find not applicable (stored empty): the trainer's, since a
#: self-paced course has none.
NOT_APPLICABLE_SCORE_FIELDS = ("facilitation",)
LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
#: The reaction survey's Likert questions, in the order the form asks them.
EVALUATION_SCORE_FIELDS = (
    "relevance",
    "material_quality",
    "facilitation",
    "platform",
    "applicability",
)


def _likert(label):
    return models.PositiveSmallIntegerField(label, validators=LIKERT_VALIDATORS)


def _one_to_five(field: str, prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=f"{prefix}_{field}_1_to_5",
    )


class CourseEvaluation(models.Model):
    """A learner's reaction to a completed course (Kirkpatrick level 1), one per enrollment.

    Shown to the course's trainers and editors without the learner's name, so answers stay
    candid.
    """

    SCORE_FIELDS = EVALUATION_SCORE_FIELDS

    enrollment = models.OneToOneField(
        "learners.Enrollment", on_delete=models.PROTECT, related_name="evaluation"
    )
    relevance = _likert(_("relevance to my work"))
    material_quality = _likert(_("quality of the material"))
    # Empty when not applicable: a self-paced course has no trainer to rate (the question is
    # not asked), and a learner of a trained course may answer "not applicable". Averages and
    # distributions count answers 1-5 only.
    facilitation = models.PositiveSmallIntegerField(
        _("trainer and facilitation"), validators=LIKERT_VALIDATORS, null=True, blank=True
    )
    platform = _likert(_("learning platform"))
    applicability = _likert(_("applicability to my job"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            _one_to_five(name, "course_evaluation")
            for name in EVALUATION_SCORE_FIELDS
            if name not in NOT_APPLICABLE_SCORE_FIELDS
        ] + [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True})
                | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                name=f"course_evaluation_{name}_1_to_5",
            )
            for name in NOT_APPLICABLE_SCORE_FIELDS
        ]
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")

    def __str__(self):
        return f"{self.enrollment_id} — {self.submitted_at:%Y-%m-%d}"


class BehaviourFollowUp(models.Model):
    """The supervisor's rating of change at work after a course (Kirkpatrick level 3).

    The supervisor answers through a signed link without signing in. Only a hash of the link's
    secret is stored: whoever reads the database cannot answer in the supervisor's place, and
    a link works once (`answered_at`) and until `expires_at`.
    """

    enrollment = models.OneToOneField(
        "learners.Enrollment", on_delete=models.PROTECT, related_name="behaviour_followup"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_email = models.EmailField(_("sent to"))
    # SHA-256 of the link's random secret; empty until the e-mail is sent.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # {"<competency id>": 1-5} for the course's competencies when the supervisor answered.
    ratings = models.JSONField(_("ratings per competency"), default=dict, blank=True)
    # The mean of `ratings`, kept so reports can average it in the database.
    average_rating = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True)
                | models.Q(average_rating__gte=1, average_rating__lte=5),
                name="behaviour_followup_answer_has_rating",
            ),
        ]
        verbose_name = _("behaviour follow-up")
        verbose_name_plural = _("behaviour follow-ups")

    def __str__(self):
        return f"{self.enrollment_id} → {self.recipient_email}"


class LearningNeed(models.Model):
    """A learning need (analisis kebutuhan) a civil servant records for their development plan.

    PP 17/2020 art. 203(5) and 205-206: needs come from the gap between a person's competency
    and their position's standard, or from their performance appraisal; the direct supervisor
    or the agency's HR endorses them, and endorsed needs are the demand the needs report sets
    against the catalog.
    """

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting endorsement")
        ENDORSED = "endorsed", _("Endorsed")
        REJECTED = "rejected", _("Not endorsed")

    DECIDED_STATUSES = (Status.ENDORSED, Status.REJECTED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("civil servant"),
        on_delete=models.CASCADE,
        related_name="learning_needs",
    )
    competency = models.ForeignKey(
        "content.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 0: not yet at level 1 of the competency.
    current_level = models.PositiveSmallIntegerField(
        _("current level"), validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), validators=LEVEL_VALIDATORS)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    reason = models.TextField(_("reason"), max_length=2000)
    appraisal_reference = models.CharField(
        _("performance appraisal reference"),
        max_length=200,
        blank=True,
        help_text=_('For example "SKP 2025, indicator 3".'),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Who decided (endorsed or not) and when.
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    endorsed_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note from the endorser"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(current_level__gte=0, current_level__lte=4)
                & models.Q(target_level__gte=1, target_level__lte=5)
                & models.Q(target_level__gt=models.F("current_level")),
                name="learning_need_target_above_current",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["endorsed", "rejected"], endorsed_at__isnull=False)
                | models.Q(status__in=["draft", "submitted"], endorsed_at__isnull=True),
                name="learning_need_decision_recorded",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "competency"]),
            models.Index(fields=["user", "status"]),
        ]
        verbose_name = _("learning need")
        verbose_name_plural = _("learning needs")

    def __str__(self):
        return f"{self.user_id} — {self.competency_id} {self.current_level}→{self.target_level}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ServiceUnit(models.Model):
    """A public-service unit of an organization whose users rate its service (SKM).

    PermenPANRB 14/2017: every public-service unit surveys public satisfaction at least yearly.
    """

    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="service_units",
    )
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("The public feedback page is /umpan-balik/<slug>/."),
    )
    public = models.BooleanField(
        _("accepts public feedback"),
        default=True,
        help_text=_("Untick to close the feedback page without losing its answers."),
    )

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="unique_service_unit_name"
            )
        ]
        verbose_name = _("service unit")
        verbose_name_plural = _("service units")

    def __str__(self):
        return self.name


class FeedbackAspect(models.Model):
    """Something the public can say fell short (friendliness, clarity, speed...), mapped by
    editors to the competencies that would fix it. Global when it has no organization."""

    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_aspects",
        help_text=_("Leave empty to offer the aspect on every organization's units."),
    )
    name = models.CharField(_("name"), max_length=120)
    competencies = models.ManyToManyField(
        "content.Competency",
        verbose_name=_("competencies"),
        blank=True,
        related_name="+",
        help_text=_("The competencies staff need so this aspect no longer falls short."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="unique_feedback_aspect_name"
            )
        ]
        verbose_name = _("feedback aspect")
        verbose_name_plural = _("feedback aspects")

    def __str__(self):
        return self.name


class PublicFeedback(models.Model):
    """One citizen's rating of a service unit, with the aspects that fell short.

    No account and no IP address is kept: `client_hash` is a keyed hash of the client address,
    enough to spot a flood from one source and useless to identify anyone.
    """

    unit = models.ForeignKey(
        ServiceUnit, verbose_name=_("service unit"), on_delete=models.CASCADE, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=LIKERT_VALIDATORS)
    aspects = models.ManyToManyField(
        FeedbackAspect, verbose_name=_("aspects that fell short"), blank=True, related_name="+"
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    client_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [_one_to_five("rating", "public_feedback")]
        verbose_name = _("public feedback")
        verbose_name_plural = _("public feedback")

    def __str__(self):
        return f"{self.unit_id}: {self.rating}"

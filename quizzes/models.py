"""Quizzes (a kind of lesson) and learners' attempts at them.

The quiz page stays declarative content: a learner's attempts and whether they may start reach
its template through `{% quiz_state %}` (quizzes/templatetags/quiz_tags.py), so this module
imports no learner code.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField

from content.models import BasePage
from courses.models import LessonPage
from quizzes.blocks import PassBandBlock, QuestionStreamBlock


class QuizPage(LessonPage):
    """A quiz in a course's outline: a practice quiz, a pre-test or the post-test (final test).

    Why a quiz *is* a lesson (Wagtail multi-table inheritance of `LessonPage`) rather than a
    quiz attached to a lesson: a quiz is a step of the course like any other. As a lesson it
    sits in the outline in page order, counts in progress and "continue learning", and gets
    its `LessonCompletion` when passed (a pre-test: when submitted), so the course's completion
    rule, "all required lessons done", needs no change: a course whose post-test is required
    completes only once the post-test is passed, and the certificate issued at that moment
    prints the post-test's pass band. No second tree of quiz objects has to be kept in step with
    the pages, and editors move, publish and moderate quizzes like lessons.

    Correct answers never leave the server before an attempt is submitted: `questions` and
    `pass_bands` are not API fields, not indexed for search, and the templates render only the
    learner-facing representation built by `quizzes.selectors`.
    """

    class Role(models.TextChoices):
        PRACTICE = "practice", _("Practice quiz")
        PRE_TEST = "pre_test", _("Pre-test")
        POST_TEST = "post_test", _("Post-test (final test)")

    class FeedbackPolicy(models.TextChoices):
        """When a learner sees the correct answers and explanations of their attempts.

        Why not always: an answer key shown after a blank attempt turns the next attempt into a
        copy exercise (issue 13). "After the last attempt or after passing" shows it once no
        attempt is left to use it in, or once it can no longer change the verdict (a passed
        post-test cannot be taken again in the same enrollment).
        """

        NEVER = "never", _("Never")
        AFTER_FINAL_ATTEMPT = "after_final", _("After the last attempt or after passing")
        ALWAYS = "always", _("After every attempt (practice quizzes only)")

    # Learners complete a quiz by passing it, never with "mark as done" (see learners.progress).
    completed_by_learner = False

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PRACTICE)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The lowest score, in percent of the points, that passes."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Leave empty for no time limit. The server refuses late submissions."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=False)
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_(
            "Leave empty to ask every question. Otherwise each attempt draws this many "
            "questions at random from the questions below and is scored over them."
        ),
    )
    requires_lessons_completed = models.BooleanField(
        _("open only once every lesson is done"),
        default=True,
        help_text=_(
            "For a post-test: learners can start it only after completing every required "
            "lesson of the course, so no attempt is spent before they have studied. Pre-tests "
            "and practice quizzes are always open."
        ),
    )
    feedback_policy = models.CharField(
        _("show correct answers"),
        max_length=20,
        choices=FeedbackPolicy.choices,
        default=FeedbackPolicy.AFTER_FINAL_ATTEMPT,
        help_text=_(
            "When learners see the correct answers and explanations of their attempts. A "
            "pre-test never shows the answers to questions that are also in the post-test."
        ),
    )
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))
    pass_bands = StreamField(
        [("band", PassBandBlock())],
        verbose_name=_("pass bands"),
        blank=True,
        help_text=_(
            "For a post-test: the label (predikat) printed on the certificate, from the highest "
            "band whose minimum the score reaches. For example Sangat Baik 90, Baik 75, Cukup 65."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required_for_completion")]),
        FieldPanel("body", heading=_("Instructions")),
        MultiFieldPanel(
            [
                FieldPanel("role"),
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]),
                FieldPanel("time_limit_minutes"),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
                FieldRowPanel([FieldPanel("questions_per_attempt"), FieldPanel("feedback_policy")]),
                FieldPanel("requires_lessons_completed"),
            ],
            heading=_("Quiz settings"),
        ),
        FieldPanel("questions"),
        FieldPanel("pass_bands"),
    ]
    # Deliberately LessonPage's: the instructions are searchable, questions and answers are not.
    search_fields = LessonPage.search_fields
    # Never `questions` or `pass_bands`: /api/v2/ is public and answers are in them.
    api_fields = LessonPage.api_fields + [
        APIField("role"),
        APIField("pass_mark"),
        APIField("max_attempts"),
        APIField("time_limit_minutes"),
        APIField("question_count"),
        APIField("questions_per_attempt"),
        APIField("feedback_policy"),
        APIField("requires_lessons_completed"),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="quiz_pass_mark_at_most_100"
            ),
        ]

    @property
    def opens_after_lessons(self) -> bool:
        """Whether learners must complete the course's other required lessons first: post-tests
        only (a pre-test is taken before studying, a practice quiz whenever it helps)."""
        return self.role == self.Role.POST_TEST and self.requires_lessons_completed

    @property
    def question_count(self) -> int:
        return len(self.questions)

    @property
    def questions_asked(self) -> int:
        """How many questions one attempt asks: the draw, or every question."""
        if self.questions_per_attempt:
            return min(self.questions_per_attempt, self.question_count)
        return self.question_count

    def clean(self):
        super().clean()
        errors = {}
        if self.feedback_policy == self.FeedbackPolicy.ALWAYS and self.role != self.Role.PRACTICE:
            errors["feedback_policy"] = _(
                "Answers after every attempt are allowed for practice quizzes only: a pre-test "
                "or post-test would hand out its answer key."
            )
        if self.questions_per_attempt and self.questions_per_attempt > len(self.questions):
            errors["questions_per_attempt"] = _(
                "An attempt cannot draw more questions than the quiz has (%(count)d)."
            ) % {"count": len(self.questions)}
        if errors:
            raise ValidationError(errors)

    def questions_by_id(self) -> dict:
        """The current questions (bound blocks) by their StreamField block id."""
        return {child.id: child for child in self.questions}

    def pass_band_for(self, score: Decimal) -> str:
        """The label of the highest band whose minimum `score` reaches, or ""."""
        bands = sorted(
            (band.value for band in self.pass_bands),
            key=lambda value: value["min_score"],
            reverse=True,
        )
        return next((band["label"] for band in bands if score >= band["min_score"]), "")


class QuizAttempt(models.Model):
    """One attempt of one learner at one quiz, scored on the server when submitted.

    Attempts belong to an enrollment and their limit counts per enrollment round (see
    `quizzes.selectors.attempt_round`): a recertification enrollment starts afresh, a withdrawal
    and re-enrollment does not. Numbers are unique per enrollment and quiz, and attempts start
    under a lock on the enrollment row, so two concurrent starts can never both take the last
    allowed attempt; at most one attempt per learner and quiz is in progress at a time.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Expired (time limit passed)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    # PROTECT, as for courses: a quiz with learners' results can be unpublished, not deleted.
    quiz = models.ForeignKey(QuizPage, on_delete=models.PROTECT, related_name="attempts")
    enrollment = models.ForeignKey(
        "learners.Enrollment", on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # [{"id": question block id, "options": [option ids in the order shown]}], fixed at start:
    # the questions drawn for this attempt, which alone are shown, scored and reviewed.
    question_order = models.JSONField(default=list, blank=True)
    # {question block id: [option ids] or "text"}, as submitted (unknown ids dropped).
    answers = models.JSONField(default=dict, blank=True)
    points = models.PositiveIntegerField(_("points"), null=True, blank=True)
    max_points = models.PositiveIntegerField(_("maximum points"), null=True, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), default=False)
    pass_band = models.CharField(_("pass band"), max_length=60, blank=True)
    # An attempt answered offline on a quiz paper (`quizzes.services.offline_submission`): the
    # device's event id makes its resubmission safe (the same attempt, nothing counted twice),
    # and the time the device says it was answered is kept for information only, never trusted
    # for a time limit (timed quizzes are never answered offline).
    offline_event_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    answered_offline_at = models.DateTimeField(_("answered offline at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "quiz", "number"],
                name="one_attempt_number_per_enrollment_and_quiz",
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(status="in_progress"),
                name="one_attempt_in_progress_per_quiz",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="attempt_number_from_1"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="attempt_score_0_to_100",
            ),
        ]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self):
        return f"{self.user_id} — {self.quiz_id} #{self.number} ({self.status})"

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

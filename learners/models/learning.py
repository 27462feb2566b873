"""Learning: course trainers, enrollments, lesson completions, certificates and the append-only
learning record."""

import secrets
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseTrainer(models.Model):
    """A trainer (widyaiswara, facilitator) of a course: sees and manages its learners."""

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="trainers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trained_courses"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="unique_course_trainer")
        ]
        verbose_name = _("course trainer")
        verbose_name_plural = _("course trainers")

    def __str__(self):
        return f"{self.user} — {self.course_id}"


class Enrollment(models.Model):
    """A person's enrollment in a course. Its status changes only through learners.services
    and learners.progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Certificate expired")

    OPEN_STATUSES = (Status.PENDING, Status.ACTIVE)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments"
    )
    # PROTECT: a course with learners' history cannot be deleted, only unpublished.
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    # JP credited on completion, copied so later edits to the course never change the ledger.
    jp_credited = models.DecimalField(
        _("JP credited"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    last_lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_visited_at = models.DateTimeField(null=True, blank=True)
    # Set by the quizzes and evaluation apps: the final test's score and pass band (printed on the
    # certificate), and when the learner answered the course's reaction survey (Kirkpatrick L1).
    final_score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pass_band = models.CharField(_("pass band"), max_length=60, blank=True)
    evaluation_submitted_at = models.DateTimeField(null=True, blank=True)
    # Stored progress, kept by learners.progress in the transaction that changes it (a lesson
    # completed, a course's lessons published, unpublished, moved or deleted), so the trainer's
    # dashboard, its exports and "my learning" read a column instead of counting completions
    # for every learner: the course's live required lessons when last counted, how many of
    # them this enrollment completed, and its latest completion (any lesson). The percent
    # is not stored: it depends on the status (`learners.selectors.progress_percent`).
    # The database has the default too, so a process still running the code from before these
    # columns (a rolling deploy) can insert enrollments; `recount_progress` after the release.
    required_total = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    required_done = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    last_completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one open (pending or active) enrollment per person and course.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=models.Q(status__in=["pending", "active"]),
                name="one_open_enrollment_per_course",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["course", "status"]),
            models.Index(fields=["user", "completed_at"]),
        ]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")

    def __str__(self):
        return f"{self.user} — {self.course_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class LessonCompletion(models.Model):
    """A lesson completed within an enrollment; at most one per enrollment and lesson."""

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        QUIZ = "quiz", _("Quiz passed")
        # Reported by an e-learning package's runtime (SCORM, H5P): packages.services.
        PACKAGE = "package", _("E-learning package")
        # Graded at or above its pass mark by a trainer: assignments.services.
        ASSIGNMENT = "assignment", _("Assignment passed")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # A client's idempotency key: a retried request with the same id is a no-op.
    event_id = models.UUIDField(null=True, blank=True, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="one_completion_per_lesson"
            )
        ]
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")

    def __str__(self):
        return f"{self.enrollment_id} — {self.lesson_id}"


def private_storage():
    """Storage for files only Lentera's views may serve (certificate PDFs carry a NIP)."""
    return storages["private"]


def _new_verification_code() -> str:
    # 24 random bytes: 192 bits, URL-safe, unguessable.
    return secrets.token_urlsafe(24)


class Certificate(models.Model):
    """A certificate of completion, with every printed field frozen at issue time.

    Later edits to the course or the holder's profile never change an issued certificate.
    """

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="certificate"
    )
    serial = models.CharField(_("serial number"), max_length=60, unique=True, null=True)
    code = models.CharField(
        _("verification code"), max_length=64, unique=True, default=_new_verification_code
    )
    issued_at = models.DateTimeField(_("issued at"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Snapshot
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_nip = models.CharField("NIP", max_length=18, blank=True)
    holder_agency = models.CharField(_("agency"), max_length=255, blank=True)
    holder_position = models.CharField(_("position"), max_length=255, blank=True)
    holder_rank_grade = models.CharField(_("rank/grade"), max_length=100, blank=True)
    course_page_id = models.PositiveIntegerField()
    course_title = models.CharField(_("course"), max_length=255)
    jp = models.DecimalField("JP", max_digits=5, decimal_places=2)
    competencies = models.JSONField(_("competencies"), default=list)
    provider_name = models.CharField(_("issuer"), max_length=255)
    learning_mode = models.CharField(_("learning mode"), max_length=100, blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pass_band = models.CharField(_("pass band"), max_length=60, blank=True)
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"))
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_nip = models.CharField(max_length=18, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    pdf = models.FileField(upload_to="certificates/%Y/", storage=private_storage, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.serial or self.code

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class LearningRecord(models.Model):
    """One learning event, written once by the service that caused it; never updated.

    The basis of the audit trail, analytics and a later xAPI export (actor, verb, object,
    result, timestamp).
    """

    class Verb(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        ENROLLMENT_REQUESTED = "enrollment_requested", _("requested enrollment")
        ENROLLMENT_APPROVED = "enrollment_approved", _("approved enrollment")
        ENROLLMENT_REJECTED = "enrollment_rejected", _("rejected enrollment")
        WITHDREW = "withdrew", _("withdrew")
        LESSON_COMPLETED = "lesson_completed", _("completed lesson")
        QUIZ_ATTEMPTED = "quiz_attempted", _("attempted quiz")
        COURSE_COMPLETED = "course_completed", _("completed course")
        CERTIFICATE_ISSUED = "certificate_issued", _("was issued certificate")
        CERTIFICATE_REVOKED = "certificate_revoked", _("revoked certificate")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="learning_records",
    )
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=255, blank=True)
    # Whose learning this is, when the actor is a trainer or an admin acting for them.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp"]
        indexes = [models.Index(fields=["learner", "timestamp"])]
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")

    def __str__(self):
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Learning records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Learning records are append-only.")

"""People and their learning: users, work units, positions, roles, enrollments, progress,
certificates and the append-only learning record.

Indonesian names are often a single word and rarely split into first and last names, so a user
has one `full_name`, as printed on certificates.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.search import index


class UserManager(BaseUserManager):
    """Creates users identified by e-mail address."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class WorkUnit(models.Model):
    """A unit of an organization (unit kerja; OPD in regional governments), possibly nested."""

    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="work_units",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name", "parent"], name="unique_work_unit_name"
            )
        ]
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")

    def __str__(self):
        return self.name


class Position(ClusterableModel):
    """A position (jabatan) in an organization, with the competency levels it requires."""

    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    name = models.CharField(_("name"), max_length=255)

    panels = [
        FieldPanel("organization"),
        FieldPanel("name"),
        InlinePanel("competency_targets", heading=_("Competency standard")),
    ]

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_position_name")
        ]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self):
        return self.name


class PositionCompetency(models.Model):
    """The level (1-5) of a competency that a position requires (its competency standard)."""

    position = ParentalKey(Position, on_delete=models.CASCADE, related_name="competency_targets")
    competency = models.ForeignKey(
        "content.Competency", verbose_name=_("competency"), on_delete=models.PROTECT
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    panels = [FieldPanel("competency"), FieldPanel("target_level")]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["position", "competency"], name="unique_position_competency"
            )
        ]
        verbose_name = _("position competency")
        verbose_name_plural = _("position competencies")

    def __str__(self):
        return f"{self.position} — {self.competency_id} level {self.target_level}"


class MembershipStatus(models.TextChoices):
    """Whether the organization a person chose has confirmed they belong to it."""

    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


class MembershipSource(models.TextChoices):
    """How a membership came to be confirmed (or rejected)."""

    ADMIN = "admin", _("Organization admin")
    STAFF_LIST = "staff_list", _("Imported staff list")
    SSO = "sso", _("Agency single sign-on")
    EMAIL_DOMAIN = "email_domain", _("Verified e-mail domain")
    EXISTING = "existing", _("Member before confirmation was required")


class User(index.Indexed, AbstractUser):
    """A person using Lentera, who signs in with their e-mail address.

    Civil servants (ASN) are PNS or PPPK and have an 18-digit NIP; partner staff and others are
    non-ASN and have none.
    """

    class AccountKind(models.TextChoices):
        PNS = "pns", _("ASN — PNS")
        PPPK = "pppk", _("ASN — PPPK")
        NON_ASN = "non_asn", _("Non-ASN")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    account_kind = models.CharField(
        _("account kind"), max_length=10, choices=AccountKind.choices, default=AccountKind.NON_ASN
    )
    # 18 digits; 9-digit legacy numbers exist only in imported history (see learners.nip).
    nip = models.CharField(
        "NIP",
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^(\d{9}|\d{18})$", _("A NIP has 18 digits."))],
    )
    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    # Choosing an organization only asks to belong to it: its admins see the person, and its
    # compliance counts them, once the membership is confirmed (see learners.membership).
    membership_status = models.CharField(
        _("membership"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    membership_source = models.CharField(
        _("membership confirmed by"),
        max_length=20,
        choices=MembershipSource.choices,
        blank=True,
    )
    membership_decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    work_unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="holders",
    )
    rank_grade = models.CharField(
        _("rank/grade"), max_length=100, blank=True, help_text=_('For example "Penata, III/c".')
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("direct supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    # When the direct supervisor (atasan langsung) has no account yet.
    supervisor_name = models.CharField(_("supervisor's name"), max_length=200, blank=True)
    supervisor_email = models.EmailField(_("supervisor's e-mail"), blank=True)
    # The link counts (endorsing needs, follow-up e-mails) only once confirmed: by the named
    # supervisor (`supervisor_accepted_at`), then by HR where the organization asks for it
    # (`Organization.supervisor_links_need_hr`). See learners.services.supervisor_link_decide.
    supervisor_accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    supervisor_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    search_fields = [
        index.SearchField("full_name"),
        index.SearchField("email"),
        index.AutocompleteField("full_name"),
    ]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_asn(self) -> bool:
        return self.account_kind in (self.AccountKind.PNS, self.AccountKind.PPPK)


class OrganizationRole(models.Model):
    """A scoped role a person holds in one organization (beyond editing pages)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organization admin (HR)")
        # Allowed by the organization to train cohorts of its courses without being a course
        # trainer (see cohorts.permissions.trainers_eligible_for).
        TRAINER = "trainer", _("Cohort trainer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_roles"
    )
    organization = models.ForeignKey(
        "content.Organization", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_organization_role"
            )
        ]
        verbose_name = _("organization role")
        verbose_name_plural = _("organization roles")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organization}"


class NIPClaim(models.Model):
    """A NIP someone says is theirs while another account holds it, or a request for help from
    someone whose NIP is used by another account: organization admins decide who keeps it.

    Nothing proves a NIP belongs to the person typing it, so a NIP already on an account is never
    refused (which would tell anyone that it has an account); it is recorded here instead.
    """

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        PROFILE = "profile", _("Profile")
        HELP_REQUEST = "help_request", _("Request for help")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting decision")
        HOLDER_KEEPS = "holder_keeps", _("The current holder keeps the NIP")
        TRANSFERRED = "transferred", _("The NIP was given to the claimant")
        CLOSED = "closed", _("Closed")

    nip = models.CharField("NIP", max_length=18)
    # The account asking for the NIP; none for a request for help from the sign-up page.
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="nip_claims",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="nip_claims",
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    source = models.CharField(max_length=20, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One open claim per account and NIP: claiming again updates it.
            models.UniqueConstraint(
                fields=["claimant", "nip"],
                condition=models.Q(status="open", claimant__isnull=False),
                name="one_open_nip_claim_per_claimant",
            )
        ]
        indexes = [models.Index(fields=["nip", "status"])]
        verbose_name = _("NIP claim")
        verbose_name_plural = _("NIP claims")

    def __str__(self):
        return f"{self.nip} ({self.get_status_display()})"


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
    """A person's enrollment in a course. Its status changes only through learners.services."""

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

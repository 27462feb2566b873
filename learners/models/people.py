"""People: users (e-mail login, NIP, ASN kind), their organization's work units and positions,
organization roles, and NIP claims.

Indonesian names are often a single word and rarely split into first and last names, so a user
has one `full_name`, as printed on certificates.
"""

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
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
    # (`Organization.supervisor_links_need_hr`). See learners.supervisors.supervisor_link_decide.
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

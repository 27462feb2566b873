"""Coaching and mentoring (BKN's coaching-mentoring-self-learning guidance): a coachee and a
coach or mentor, often the direct supervisor (atasan langsung), agree goals and log their
sessions. A session both have confirmed becomes a non-classical development record.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The longest session a log may claim: a working day.
MAX_SESSION_MINUTES = 8 * 60


class CoachingAgreement(models.Model):
    """A coachee and their coach or mentor, the goals they agreed and since when; proposed by
    one of the two and accepted by the other."""

    class Kind(models.TextChoices):
        COACHING = "coaching", _("Coaching")
        MENTORING = "mentoring", _("Mentoring")

    class Role(models.TextChoices):
        COACHEE = "coachee", _("Coachee")
        COACH = "coach", _("Coach or mentor")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for acceptance")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    coachee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coachee"),
        on_delete=models.CASCADE,
        related_name="coaching_agreements_as_coachee",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach or mentor"),
        on_delete=models.CASCADE,
        related_name="coaching_agreements_as_coach",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("topic"), max_length=200)
    goals = models.TextField(_("goals"))
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    # Which of the two proposed it: the other one accepts.
    proposed_by = models.CharField(_("proposed by"), max_length=20, choices=Role.choices)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(coachee=models.F("coach")),
                name="coaching_agreement_not_oneself",
            ),
        ]
        verbose_name = _("coaching agreement")
        verbose_name_plural = _("coaching agreements")

    def __str__(self):
        return self.title

    def role_of(self, user) -> str | None:
        """The role `user` holds in this agreement, or None for anyone else (no query)."""
        if user.pk == self.coachee_id:
            return self.Role.COACHEE
        if user.pk == self.coach_id:
            return self.Role.COACH
        return None


class CoachingSession(models.Model):
    """One session of an agreement, logged by one party and confirmed by the other; once both
    have confirmed it is the development record it became and no longer changes."""

    agreement = models.ForeignKey(
        CoachingAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    notes = models.TextField(_("notes"))
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    logged_by = models.CharField(
        _("logged by"), max_length=20, choices=CoachingAgreement.Role.choices
    )
    confirmed_by_coachee_at = models.DateTimeField(
        _("confirmed by the coachee at"), null=True, blank=True
    )
    confirmed_by_coach_at = models.DateTimeField(
        _("confirmed by the coach at"), null=True, blank=True
    )
    record = models.OneToOneField(
        "development.DevelopmentRecord",
        verbose_name=_("development record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_session",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0)
                & models.Q(duration_minutes__lte=MAX_SESSION_MINUTES),
                name="coaching_session_duration",
            ),
        ]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self):
        return f"{self.agreement} · {self.date}"

    @property
    def is_confirmed(self) -> bool:
        """Confirmed by both parties: immutable from now on."""
        return self.confirmed_by_coachee_at is not None and self.confirmed_by_coach_at is not None

    def confirmed_by(self, role: str):
        """When the party in `role` confirmed, or None."""
        if role == CoachingAgreement.Role.COACHEE:
            return self.confirmed_by_coachee_at
        return self.confirmed_by_coach_at

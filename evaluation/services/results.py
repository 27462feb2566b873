"""The writes behind a course's results: the learner's reaction survey (L1) and the supervisor's
follow-up (L3: scheduling, opening and answering the link; signing and e-mailing it is
`evaluation.followup_links`). The daily command and the follow-up page go through them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.signing import BadSignature, SignatureExpired
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage
from evaluation.followup_links import (
    FOLLOWUP_LINK_VALID_DAYS,
    followup_signer,
    followup_token_hash,
)
from evaluation.models import BehaviourFollowUp, CourseEvaluation
from evaluation.services.errors import EvaluationConflict, EvaluationRefused
from learners.errors import LearningError
from learners.models import Enrollment, User
from learners.permissions import trains_enrollment
from learners.supervisors import confirmed_supervisor_q, has_confirmed_supervisor

COMPLETED_STATUSES = (Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED)
#: Follow-ups that fell due longer ago are never sent: a new installation, or a supervisor
#: added to a profile late, must not trigger e-mails about courses finished years ago.
FOLLOWUP_CATCH_UP_DAYS = 60


class FollowUpLinkError(LearningError):
    """A follow-up link that cannot be used: tampered (400), unknown (404), expired or already
    used (410). The page says which, never more."""

    def __init__(self, message: str, *, code: str, status: int):
        super().__init__(message, code=code)
        self.status = status


# L1: the reaction survey


@transaction.atomic
def course_evaluation_submit(
    *,
    enrollment: Enrollment,
    user: User,
    relevance: int,
    material_quality: int,
    platform: int,
    applicability: int,
    comment: str = "",
    facilitation: int | None = None,
) -> CourseEvaluation:
    """Record a learner's reaction to a course they completed, once per enrollment.

    `facilitation` is None when not applicable (a self-paced course, or the learner's answer).
    """
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.user_id != user.pk:
        raise EvaluationRefused(
            _("You can only evaluate your own courses."), code="not_your_enrollment"
        )
    if enrollment.status not in COMPLETED_STATUSES:
        raise EvaluationRefused(
            _("You can evaluate a course once you have completed it."), code="not_completed"
        )
    if trains_enrollment(user, enrollment):
        # The survey rates the facilitation: a trainer would be rating themselves.
        raise EvaluationRefused(
            _("You train this course, so you cannot rate it: that would rate yourself."),
            code="own_course",
        )
    if (
        enrollment.evaluation_submitted_at
        or CourseEvaluation.objects.filter(enrollment=enrollment).exists()
    ):
        raise EvaluationConflict(
            _("You have already evaluated this course. Thank you!"), code="already_evaluated"
        )
    now = timezone.now()
    evaluation = CourseEvaluation(
        enrollment=enrollment,
        relevance=relevance,
        material_quality=material_quality,
        facilitation=facilitation,
        platform=platform,
        applicability=applicability,
        comment=comment.strip(),
        submitted_at=now,
    )
    evaluation.full_clean()
    evaluation.save()
    enrollment.evaluation_submitted_at = now
    enrollment.save(update_fields=["evaluation_submitted_at"])
    return evaluation


# L3: the supervisor's follow-up


def _supervisor_address(user: User) -> tuple[User | None, str]:
    """The confirmed supervisor and their address. An address the learner typed for someone
    without an account is never written to: nobody confirmed it is not the learner's own."""
    supervisor = user.supervisor if user.supervisor_id else None
    if (
        supervisor is not None
        and has_confirmed_supervisor(user, supervisor)
        and supervisor.is_active
        and supervisor.email
        and supervisor.email.lower() != user.email.lower()
    ):
        return supervisor, supervisor.email
    return None, ""


def _due_followups_q(now: datetime) -> Q:
    """Completions whose course's follow-up delay has passed (within the catch-up window).

    One condition per distinct delay configured on courses: a handful of values, whatever the
    number of enrollments.
    """
    condition = Q(pk__in=[])
    delays = set(CoursePage.objects.values_list("behaviour_followup_days", flat=True))
    for days in delays:
        condition |= Q(
            course__behaviour_followup_days=days,
            completed_at__lte=now - timedelta(days=days),
            completed_at__gt=now - timedelta(days=days + FOLLOWUP_CATCH_UP_DAYS),
        )
    return condition


@dataclass(frozen=True)
class FollowUpRun:
    """What one daily run did: follow-ups created, and e-mails queued."""

    created: int
    queued: int


def behaviour_followups_schedule(*, now: datetime | None = None) -> FollowUpRun:
    """Create the follow-ups that fell due and queue their e-mails (the daily command).

    Idempotent: an enrollment has at most one follow-up (a one-to-one), and the sending task
    sends each follow-up once, so running twice a day, or re-queueing a follow-up whose e-mail
    is still waiting for the worker, never e-mails a supervisor twice.
    """
    now = now or timezone.now()
    due = (
        Enrollment.objects.filter(_due_followups_q(now))
        .filter(status__in=COMPLETED_STATUSES, behaviour_followup__isnull=True)
        .filter(confirmed_supervisor_q("user__"))
        .select_related("user__supervisor")
    )
    new = []
    for enrollment in due:
        supervisor, address = _supervisor_address(enrollment.user)
        if address:
            new.append(
                BehaviourFollowUp(
                    enrollment=enrollment, supervisor=supervisor, recipient_email=address
                )
            )
    with transaction.atomic():
        # A concurrent run may have created some of them: the one-to-one keeps one each.
        BehaviourFollowUp.objects.bulk_create(new, ignore_conflicts=True)
        unsent = list(
            BehaviourFollowUp.objects.filter(
                sent_at__isnull=True,
                answered_at__isnull=True,
                created_at__gt=now - timedelta(days=FOLLOWUP_CATCH_UP_DAYS),
            ).values_list("pk", flat=True)
        )
        from evaluation.tasks import behaviour_followup_email

        for followup_id in unsent:
            transaction.on_commit(
                lambda followup_id=followup_id: behaviour_followup_email.enqueue(
                    followup_id=followup_id
                )
            )
    return FollowUpRun(created=len(new), queued=len(unsent))


def behaviour_followup_for_token(
    *, token: str, now: datetime | None = None, lock: bool = False
) -> BehaviourFollowUp:
    """The follow-up a link opens, or FollowUpLinkError saying why it cannot be used."""
    now = now or timezone.now()
    try:
        secret = followup_signer().unsign(token, max_age=timedelta(days=FOLLOWUP_LINK_VALID_DAYS))
    except SignatureExpired:
        raise FollowUpLinkError(_("This link has expired."), code="expired", status=410) from None
    except BadSignature:
        raise FollowUpLinkError(
            _("This link is not valid. Check that you copied the whole address from the e-mail."),
            code="tampered",
            status=400,
        ) from None
    followups = BehaviourFollowUp.objects.select_related("enrollment__user", "enrollment__course")
    if lock:
        followups = followups.select_for_update(of=("self",))
    followup = followups.filter(token_hash=followup_token_hash(secret)).first()
    if followup is None:
        raise FollowUpLinkError(
            _("This link does not lead to a follow-up."), code="unknown", status=404
        )
    if followup.answered_at is not None:
        raise FollowUpLinkError(
            _("This follow-up has already been answered. Thank you!"), code="used", status=410
        )
    if followup.expires_at is None or followup.expires_at <= now:
        raise FollowUpLinkError(_("This link has expired."), code="expired", status=410)
    return followup


@transaction.atomic
def behaviour_followup_answer(
    *, token: str, ratings: dict[int, int], comment: str = ""
) -> BehaviourFollowUp:
    """Record the supervisor's ratings (1-5 per course competency); the link then stops working."""
    followup = behaviour_followup_for_token(token=token, lock=True)
    expected = set(
        followup.enrollment.course.course_competencies.values_list("competency_id", flat=True)
    )
    if set(ratings) != expected:
        raise LearningError(
            _("Rate the change for every competency of the course."), code="ratings_incomplete"
        )
    if any(not isinstance(value, int) or not 1 <= value <= 5 for value in ratings.values()):
        raise LearningError(_("Each rating is a number from 1 to 5."), code="rating_range")
    followup.ratings = {str(competency_id): value for competency_id, value in ratings.items()}
    followup.average_rating = (
        Decimal(sum(ratings.values())) / Decimal(len(ratings))
        if ratings
        else Decimal(3)  # a course without competencies: the scale's midpoint, "no opinion"
    ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    followup.comment = comment.strip()
    followup.answered_at = timezone.now()
    followup.full_clean()
    followup.save(update_fields=["ratings", "average_rating", "comment", "answered_at"])
    return followup

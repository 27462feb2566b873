"""The link an invitation e-mails, and what the cohort's trainers do with invitations.

The link carries a token signed with the site's secret key (`django.core.signing`): it names
the invitation and the address it went to, and cannot be guessed or altered. Following it
proves the person reads that mailbox, as allauth's confirmation links do, so:
- signed out, it leads to sign-up with the address filled in and counted as verified (allauth's
  `stash_verified_email`), then back to the link, which joins them;
- signed in with the invited address, it joins at once (and verifies the address if needed);
- signed in with another account, it is refused with a message saying which address it is for.
Cancelled (deleted), expired or used invitations refuse the link with a clear message.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from cohorts.members import capacity_check, cohort_members_add, invitations_email, skip_reason_text
from cohorts.models import CohortInvitation, CohortMembership, invitation_expiry
from cohorts.services import cohort_locked, cohort_trainer_require
from learners.errors import EnrollmentConflict, EnrollmentRefused, LearningError
from learners.membership import email_verified, verified_emails
from learners.models import User

TOKEN_SALT = "cohorts.invitation"  # noqa: S105 (a namespace for signing, not a secret)


class InvitationRefused(LearningError):
    """The link cannot be used (any more); the message says why and what to do."""

    status = 410


class InvitationWrongAccount(LearningError):
    """The link was sent to another address than the signed-in account's."""

    status = 403


def invitation_token(invitation: CohortInvitation) -> str:
    return signing.dumps({"id": invitation.pk, "email": invitation.email}, salt=TOKEN_SALT)


def invitation_url(invitation: CohortInvitation) -> str:
    """The absolute link e-mailed to the invited person."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "cohorts:invitation", args=[invitation_token(invitation)]
    )


def invitation_from_token(token: str) -> CohortInvitation | None:
    """The invitation a link names, or None for a forged or mangled token and for an invitation
    cancelled since (or replaced for another address)."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        invitation_id, email = int(data["id"]), str(data["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (
        CohortInvitation.objects.filter(pk=invitation_id, email=email)
        .select_related("cohort__course", "membership__enrollment")
        .first()
    )


def invitation_check(invitation: CohortInvitation) -> None:
    """Refuse a link whose invitation was used or has expired."""
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            _("This invitation has already been used. Sign in to continue learning."),
            code="used",
        )
    if invitation.is_expired:
        raise InvitationRefused(
            _(
                "This invitation expired on %(date)s. Ask your trainer to send it again: the "
                "new e-mail has a new link."
            )
            % {"date": date_format(timezone.localtime(invitation.expires_at), "j F Y")},
            code="expired",
        )


def _addresses_of(user: User) -> set[str]:
    return verified_emails(user) | {user.email.lower()}


@transaction.atomic
def invitation_link_accept(*, invitation: CohortInvitation, user: User) -> CohortMembership:
    """`user` followed the link of `invitation`: they join its cohort if the invitation went to
    one of their addresses. The link proves the address, so an unverified one is verified
    (which may attach other seats kept for it, see `invitations_accept`)."""
    # The cohort's row first, as every seat change (and resend and cancel) locks it.
    cohort = cohort_locked(invitation.cohort)
    invitation = (
        # Only the invitation's row: PostgreSQL cannot lock the nullable side of the join.
        CohortInvitation.objects.select_for_update(of=("self",))
        .select_related("membership__enrollment")
        .filter(pk=invitation.pk)
        .first()
    )
    if invitation is None:  # cancelled meanwhile
        raise InvitationRefused(
            _("This invitation was cancelled. Ask your trainer to send it again."),
            code="cancelled",
        )
    membership = invitation.membership
    if membership is not None and membership.enrollment.user_id == user.pk:
        return membership  # the link followed again, or after sign-up already attached it
    invitation_check(invitation)
    if not invitation.email or invitation.email not in _addresses_of(user):
        raise InvitationWrongAccount(
            _(
                "This invitation was sent to %(invited)s, but you are signed in as "
                "%(current)s. Sign out, then open the link again to sign in or sign up with "
                "%(invited)s."
            )
            % {"invited": invitation.email, "current": user.email},
            code="wrong_account",
        )
    # The invitation's seat becomes the member's seat.
    CohortInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    result = cohort_members_add(
        cohort=cohort,
        users=[user],
        added_by=invitation.created_by,
        via=CohortMembership.Via.INVITATION,
    )
    if user.pk in result.skipped:
        code = result.skipped[user.pk]
        raise EnrollmentConflict(skip_reason_text(code), code=code)
    membership = CohortMembership.objects.get(cohort=cohort, enrollment__user=user)
    CohortInvitation.objects.filter(pk=invitation.pk).update(membership=membership)
    if invitation.email not in verified_emails(user):
        address, _created = EmailAddress.objects.get_or_create(
            user=user,
            email__iexact=invitation.email,
            defaults={
                "email": invitation.email,
                "primary": not EmailAddress.objects.filter(user=user).exists(),
            },
        )
        EmailAddress.objects.filter(pk=address.pk).update(verified=True)
        transaction.on_commit(lambda: email_verified(user=user))
    return membership


def _invitation_audit(invitation: CohortInvitation, *, actor: User, change: str) -> None:
    """On the course provider's log, like the other changes to a cohort's people (the person
    has no account, hence no organization, yet)."""
    audit_record(
        actor,
        Action.ENROLLMENT_CHANGED,
        organization=invitation.cohort.course.provider_id,
        target=invitation.cohort.name,
        detail={
            "change": change,
            "cohort_id": invitation.cohort_id,
            "invited": invitation.email or invitation.nip,
        },
    )


@transaction.atomic
def invitation_resend(*, invitation: CohortInvitation, sent_by: User) -> CohortInvitation:
    """E-mail the link again, valid for LENTERA_INVITATION_DAYS from now, as one of the
    cohort's trainers (who becomes its Reply-To). An expired invitation takes a seat again."""
    cohort = cohort_locked(invitation.cohort)
    cohort_trainer_require(cohort, sent_by)
    invitation = CohortInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationRefused(_("This invitation has already been used."), code="used")
    if not invitation.email:
        raise EnrollmentRefused(
            _("This invitation has no e-mail address to send it to."), code="no_email"
        )
    if invitation.is_expired:
        capacity_check(cohort, 1)
    invitation.expires_at = invitation_expiry()
    invitation.save(update_fields=["expires_at"])
    invitations_email(CohortInvitation.objects.filter(pk=invitation.pk), sent_by=sent_by)
    invitation.cohort = cohort
    _invitation_audit(invitation, actor=sent_by, change="invitation_resent")
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: CohortInvitation, cancelled_by: User) -> None:
    """Withdraw an invitation not used yet, as one of the cohort's trainers: its seat is freed
    and its link refused."""
    cohort = cohort_locked(invitation.cohort)
    cohort_trainer_require(cohort, cancelled_by)
    invitation = CohortInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationRefused(_("This invitation has already been used."), code="used")
    invitation.cohort = cohort
    _invitation_audit(invitation, actor=cancelled_by, change="invitation_cancelled")
    invitation.delete()


def invitations_expired_remove(*, now=None) -> tuple[int, int]:
    """For the daily run: (invitations expired and still listed, invitations removed because
    they expired more than LENTERA_INVITATION_DAYS ago). Expired ones stay on the cohort page a
    while, so the trainer sees who never came and can resend."""
    now = now or timezone.now()
    expired = CohortInvitation.objects.filter(accepted_at=None, expires_at__lte=now)
    cutoff = now - timedelta(days=settings.LENTERA_INVITATION_DAYS)
    removed, _by_model = expired.filter(expires_at__lte=cutoff).delete()
    return expired.count(), removed

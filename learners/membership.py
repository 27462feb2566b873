"""Who belongs to an organization, and whose NIP is whose.

Choosing an organization at sign-up or on the profile only asks to belong to it: the membership
stays pending, and the person is not counted in the organization's compliance, until it is
confirmed
- by one of the organization's admins, person by person (`membership_decide`) or from a staff
  list they import (`learners.staff_list.staff_list_confirm`);
- automatically, once the person has verified an e-mail address at a domain the organization
  lists (`Organization.email_domains`), or when they come through the agency's single sign-on
  and its organization claim names an organization that sign-on may vouch for
  (`OIDC_ORGANIZATION_CLAIM`, `OIDC_ORGANIZATIONS`).

Nothing proves a NIP belongs to the person typing it. A NIP already on another account is never
refused, which would tell anyone that it has an account: it is recorded as a claim
(`nip_claim_record`) that the organization admins decide (`nip_claim_decide`). Someone locked
out of their own NIP asks for help from the sign-up page (`nip_help_request`).

`identity_verified` is sent whenever what is proven about a person grows (an e-mail address
verified, a membership confirmed, a NIP given to them), so that the cohorts app attaches the
seats kept for them without this app importing it.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Window
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from content.models import Organization
from learners.models import MembershipSource, MembershipStatus, NIPClaim, User
from learners.permissions import is_organization_admin, organizations_administered

#: Sent with `user` when something more is proven about them (see the module docstring).
identity_verified = Signal()


class MembershipError(Exception):
    """A membership or NIP decision that cannot be made; the message says why."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def verified_emails(user: User) -> set[str]:
    """The person's e-mail addresses they have proven they own, lower case."""
    return {
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


def has_verified_email(user: User, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True, email__iexact=email).exists()


# Membership


def membership_requested(
    user: User, *, previous_organization_id: int | None, previous_nip: str | None
) -> None:
    """A person chose (another) organization, or changed their NIP: they wait for the
    organization to confirm them again, as its confirmation covered what it saw. Not saved."""
    if (
        user.organization_id != previous_organization_id
        or user.organization_id is None
        or (user.nip or None) != (previous_nip or None)
    ):
        user.membership_status = MembershipStatus.PENDING
        user.membership_source = ""
        user.membership_decided_at = None


def _confirm(user: User, source: str) -> None:
    User.objects.filter(pk=user.pk).update(
        membership_status=MembershipStatus.CONFIRMED,
        membership_source=source,
        membership_decided_at=timezone.now(),
    )
    user.membership_status = MembershipStatus.CONFIRMED
    user.membership_source = source


def membership_confirm_automatically(*, user: User, sso_organization: Organization | None = None):
    """Confirm a pending membership that a verified e-mail domain or the agency's sign-on
    proves. A rejection by an admin stands. Returns whether the membership was confirmed."""
    if user.organization_id is None or user.membership_status != MembershipStatus.PENDING:
        return False
    if sso_organization is not None and sso_organization.pk == user.organization_id:
        _confirm(user, MembershipSource.SSO)
        return True
    domains = set(user.organization.email_domain_list())
    if domains and any(email.rsplit("@", 1)[-1] in domains for email in verified_emails(user)):
        _confirm(user, MembershipSource.EMAIL_DOMAIN)
        return True
    return False


def sso_organization(claims: dict) -> Organization | None:
    """The organization the agency's sign-on vouches for in its organization claim: one of
    `OIDC_ORGANIZATIONS` (slugs or short names), never any other."""
    claim = getattr(settings, "OIDC_ORGANIZATION_CLAIM", "")
    trusted = {value.lower() for value in getattr(settings, "OIDC_ORGANIZATIONS", [])}
    value = claims.get(claim) if claim else None
    if not isinstance(value, str) or value.strip().lower() not in trusted:
        return None
    value = value.strip()
    return Organization.objects.filter(Q(slug__iexact=value) | Q(short_name__iexact=value)).first()


def email_verified(*, user: User) -> None:
    """A person proved an e-mail address (allauth's confirmation, or a verified SSO claim)."""
    membership_confirm_automatically(user=user)
    identity_verified.send(sender=User, user=user)


def pending_members(organization: Organization) -> QuerySet[User]:
    """Active people who chose the organization and wait for its confirmation."""
    return User.objects.filter(
        organization=organization, membership_status=MembershipStatus.PENDING, is_active=True
    ).order_by("full_name", "pk")


@dataclass
class PendingPreview:
    """How many people await confirmation, and the first of them (the compliance page)."""

    count: int
    people: list[User]


def pending_preview(organization: Organization, *, limit: int = 10) -> PendingPreview:
    """One query, whatever the number of people waiting: the count rides on each row."""
    people = list(pending_members(organization).annotate(waiting=Window(Count("pk")))[:limit])
    return PendingPreview(count=people[0].waiting if people else 0, people=people)


@transaction.atomic
def membership_decide(*, user: User, decided_by: User, confirm: bool) -> User:
    """An organization admin confirms that `user` belongs to their organization, or not."""
    if user.organization_id is None or not is_organization_admin(decided_by, user.organization_id):
        raise PermissionDenied
    if user.pk == decided_by.pk and not decided_by.is_superuser:
        raise MembershipError(
            _("Another admin of your organization confirms your own membership."), code="self"
        )
    status = MembershipStatus.CONFIRMED if confirm else MembershipStatus.REJECTED
    User.objects.filter(pk=user.pk).update(
        membership_status=status,
        membership_source=MembershipSource.ADMIN,
        membership_decided_at=timezone.now(),
    )
    user.membership_status, user.membership_source = status, MembershipSource.ADMIN
    audit_record(
        decided_by,
        Action.MEMBERSHIP_DECIDED,
        organization=user.organization_id,
        subject=user,
        detail={"decision": status},
    )
    if confirm:
        transaction.on_commit(lambda: identity_verified.send(sender=User, user=user))
    return user


# Staff lists


def nip_claim_record(*, user: User, nip: str, source: str) -> NIPClaim:
    """`user` says `nip` (held by another account) is theirs: the admins will decide."""
    claim, _created = NIPClaim.objects.update_or_create(
        claimant=user,
        nip=nip,
        status=NIPClaim.Status.OPEN,
        defaults={
            "name": user.full_name,
            "email": user.email,
            "organization": user.organization,
            "source": source,
        },
    )
    # Only one NIP is claimed at a time: typing another withdraws the earlier claims.
    NIPClaim.objects.filter(claimant=user, status=NIPClaim.Status.OPEN).exclude(pk=claim.pk).update(
        status=NIPClaim.Status.CLOSED, decided_at=timezone.now()
    )
    return claim


def nip_claimed_by(user: User) -> str:
    """The NIP `user` claims from another account, awaiting the admins' decision, if any."""
    if user.nip or not user.is_asn:
        return ""
    return (
        NIPClaim.objects.filter(claimant=user, status=NIPClaim.Status.OPEN)
        .values_list("nip", flat=True)
        .first()
        or ""
    )


def nip_claims_withdraw(*, user: User) -> None:
    """The person no longer claims a NIP held by someone else."""
    NIPClaim.objects.filter(claimant=user, status=NIPClaim.Status.OPEN).update(
        status=NIPClaim.Status.CLOSED, decided_at=timezone.now()
    )


def nip_help_request(
    *, name: str, email: str, nip: str, organization: Organization | None, message: str
) -> NIPClaim:
    """Someone says another account uses their NIP. Recorded whether or not any account holds
    it, and answered the same way, so the form tells nothing about accounts."""
    return NIPClaim.objects.create(
        nip=nip,
        name=name,
        email=email.lower(),
        organization=organization,
        message=message,
        source=NIPClaim.Source.HELP_REQUEST,
    )


def nip_claims_for(admin: User, *, organization: Organization | None = None) -> QuerySet[NIPClaim]:
    """Open claims an admin decides: made for one of their organizations (or `organization`
    only), or on a NIP held by one of its people."""
    organizations = organizations_administered(admin)
    if organization is not None:
        organizations = organizations.filter(pk=organization.pk)
    held_here = User.objects.filter(organization__in=organizations, nip__isnull=False).values("nip")
    return (
        NIPClaim.objects.filter(status=NIPClaim.Status.OPEN)
        .filter(Q(organization__in=organizations) | Q(nip__in=held_here))
        .select_related("claimant", "organization")
        .order_by("created_at", "pk")
    )


@transaction.atomic
def nip_claim_decide(*, claim: NIPClaim, decided_by: User, give_to_claimant: bool) -> NIPClaim:
    """Decide who keeps a claimed NIP. Giving it to the claimant takes it off the account that
    held it, whose membership then waits for confirmation again."""
    claim = NIPClaim.objects.select_for_update().get(pk=claim.pk)
    if not nip_claims_for(decided_by).filter(pk=claim.pk).exists():
        raise PermissionDenied
    holder = User.objects.select_for_update().filter(nip=claim.nip).first()
    if give_to_claimant:
        if claim.claimant is None:
            raise MembershipError(
                _("This request has no account to give the NIP to: close it instead."),
                code="no_claimant",
            )
        if claim.claimant_id == decided_by.pk or (holder and holder.pk == decided_by.pk):
            raise MembershipError(_("Another admin decides a claim on your own NIP."), code="self")
        if holder is not None:
            User.objects.filter(pk=holder.pk).update(
                nip=None,
                membership_status=MembershipStatus.PENDING,
                membership_source="",
                membership_decided_at=None,
            )
        User.objects.filter(pk=claim.claimant_id).update(nip=claim.nip)
        status = NIPClaim.Status.TRANSFERRED
    else:
        status = NIPClaim.Status.HOLDER_KEEPS if claim.claimant_id else NIPClaim.Status.CLOSED
    claim.status, claim.decided_by, claim.decided_at = status, decided_by, timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    subject = claim.claimant or holder
    audit_record(
        decided_by,
        Action.NIP_CLAIM_DECIDED,
        organization=claim.organization_id or (holder.organization_id if holder else None),
        subject=subject,
        detail={"decision": status, "claim": claim.pk},
    )
    if status == NIPClaim.Status.TRANSFERRED:
        claimant_id = claim.claimant_id
        transaction.on_commit(
            lambda: identity_verified.send(sender=User, user=User.objects.get(pk=claimant_id))
        )
    return claim

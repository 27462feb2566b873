"""Who verifies a development record and who sees it: the owner's confirmed direct supervisor
(atasan langsung) and the HR admins of the organization the owner is a confirmed member of; the
owner sees their own. Nobody verifies their own record, not even as HR or as a platform
administrator."""

from django.db.models import Q

from learners.models import MembershipStatus, User
from learners.permissions import administers_member, organizations_administered
from learners.supervisors import confirmed_supervisor_q, has_confirmed_supervisor


def verifier_q(user: User, prefix: str = "owner__") -> Q:
    """Records (or rows about records, with another `prefix`) whose owner `user` verifies."""
    return Q(confirmed_supervisor_q(prefix), **{f"{prefix}supervisor": user}) | Q(
        **{
            f"{prefix}organization__in": organizations_administered(user),
            f"{prefix}membership_status": MembershipStatus.CONFIRMED,
        }
    )


def can_verify(user: User, owner: User) -> bool:
    """Whether `user` may decide the records of `owner` (at most one query)."""
    if not user.is_authenticated or user.pk == owner.pk:
        return False
    return has_confirmed_supervisor(owner, user) or administers_member(user, owner)


def can_view(user: User, owner: User) -> bool:
    """Whether `user` may see `owner`'s records and download their evidence."""
    if not user.is_authenticated:
        return False
    return user.pk == owner.pk or can_verify(user, owner)

"""A person invited to a cohort joins it once they have proven who they are (see
`cohorts.members.invitations_accept`): never merely by signing up with the invited NIP or
e-mail address."""

from django.dispatch import receiver

from learners.membership import identity_verified
from learners.models import User


@receiver(identity_verified, dispatch_uid="cohorts_accept_invitations")
def accept_invitations(sender, user: User, **kwargs) -> None:
    from cohorts.members import invitations_accept

    invitations_accept(user=user)

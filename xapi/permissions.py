"""Who sees the xAPI delivery report: platform administrators and LAN's organization admins
(LAN runs the national learning ecosystem the LRS feeds)."""

from content.models import Organization
from learners.models import OrganizationRole, User
from learners.permissions import is_platform_admin


def can_view_xapi_report(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        is_platform_admin(user)
        or OrganizationRole.objects.filter(
            user=user,
            role=OrganizationRole.Role.ADMIN,
            organization__kind=Organization.Kind.LAN,
        ).exists()
    )

"""Who manages which packages: the editors and moderators of the package's organization.

Packages belong to an organization (`Package.organization`) like its catalog section: its
editors and moderators (the groups `content.services`' organization setup creates) upload,
rename, inspect and delete them and choose them for their lessons; nobody else sees them in
the admin, except platform administrators, who see all.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from content.models import Organization
from learners.permissions import is_platform_admin

ACTIONS = frozenset({"add", "change", "delete", "view", "choose"})


def package_organizations(user) -> QuerySet[Organization]:
    """Organizations whose packages `user` manages: those whose editors or moderators group
    they are in (all, for a platform administrator)."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if is_platform_admin(user):
        return Organization.objects.all()
    groups = user.groups.all()
    return Organization.objects.filter(
        Q(editors_group__in=groups) | Q(moderators_group__in=groups)
    ).distinct()


class PackagePermissionPolicy(BasePermissionPolicy):
    """Packages by organization: a user may act on the packages of the organizations they edit
    or moderate (`package_organizations`), whatever model permissions their groups hold."""

    def user_has_permission(self, user, action):
        return action in ACTIONS and package_organizations(user).exists()

    def user_has_any_permission(self, user, actions):
        return bool(ACTIONS & set(actions)) and package_organizations(user).exists()

    def users_with_any_permission(self, actions):
        if not ACTIONS & set(actions):
            return get_user_model().objects.none()
        organizations = Organization.objects.order_by()
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__in=organizations.values("editors_group"))
                | Q(groups__in=organizations.values("moderators_group"))
            )
            .distinct()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            action in ACTIONS
            and package_organizations(user).filter(pk=instance.organization_id).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return bool(ACTIONS & set(actions)) and self.user_has_permission_for_instance(
            user, next(iter(ACTIONS & set(actions))), instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not ACTIONS & set(actions):
            return self.model.objects.none()
        return self.model.objects.filter(organization__in=package_organizations(user))

    def users_with_any_permission_for_instance(self, actions, instance):
        if not ACTIONS & set(actions):
            return get_user_model().objects.none()
        organization = instance.organization
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__in=[organization.editors_group_id, organization.moderators_group_id])
            )
            .distinct()
        )

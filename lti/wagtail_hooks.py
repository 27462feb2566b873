"""The "LTI platforms" admin: platform administrators (superusers) register the LMSs allowed to
launch Lentera courses. Nobody else sees it, whatever their group permissions."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from lti.models import Platform


class SuperusersOnly(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_superuser=True)


permission_policy = SuperusersOnly(Platform)
register_permission_policy(Platform, permission_policy, exact_class=True)


class PlatformViewSet(ModelViewSet):
    model = Platform
    icon = "link-external"
    menu_label = _("LTI platforms")
    menu_order = 900
    add_to_settings_menu = True
    url_prefix = "lti-platforms"
    name = "lti_platforms"
    permission_policy = permission_policy
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_display = ["name", "issuer", "client_id", "is_active"]
    search_fields = ["name", "issuer", "client_id"]
    form_fields = [
        "name",
        "issuer",
        "client_id",
        "auth_login_url",
        "auth_token_url",
        "auth_audience",
        "key_set_url",
        "key_set",
        "deployment_ids",
        "is_active",
    ]


@hooks.register("register_admin_viewset")
def register_platform_viewset():
    return PlatformViewSet("lti_platforms")

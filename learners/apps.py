from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = _("Learners")


class LenteraUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for Lentera's e-mail login and full name."""

    user_viewset = "learners.admin_views.UserViewSet"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LearnersConfig(AppConfig):
    # Two configs live here: "learners" in INSTALLED_APPS must pick this one (and its ready()).
    default = True
    name = "learners"
    verbose_name = _("Learners")

    def ready(self):
        from learners import daily, signals  # noqa: F401

        signals.register_progress_handlers()


class LenteraUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for Lentera's e-mail login and full name."""

    user_viewset = "learners.admin_views.UserViewSet"

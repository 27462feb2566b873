from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications (an unread count and a list) and their daily e-mail digest."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Registers the daily digest (core.daily).
        from notifications import daily  # noqa: F401

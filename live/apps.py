from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """A cohort's live sessions (online or in a room), their calendar feed and attendance."""

    name = "live"
    verbose_name = _("Live sessions")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    """Coaching and mentoring relationships and their session logs."""

    name = "coaching"
    verbose_name = _("Coaching and mentoring")

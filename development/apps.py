from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    """Development outside Lentera's courses: records, their evidence and verification."""

    name = "development"
    verbose_name = _("Development outside courses")

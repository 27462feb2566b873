from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Competency profiles (required against current levels, with their evidence) and the yearly
    individual development plan (IDP) agreed with the direct supervisor."""

    name = "planning"
    verbose_name = _("Competency profile and development plan")

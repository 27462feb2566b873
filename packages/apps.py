from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PackagesConfig(AppConfig):
    """E-learning packages (SCORM 1.2, SCORM 2004, H5P) played as lessons."""

    name = "packages"
    verbose_name = _("E-learning packages")

    def ready(self):
        # The package origin's system checks (packages/checks.py).
        from packages import checks  # noqa: F401

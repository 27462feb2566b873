from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Change projects of leadership training and the public innovation gallery."""

    name = "projects"
    verbose_name = _("Change projects")

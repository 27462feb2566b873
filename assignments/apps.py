from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    """Assignment lessons: submissions with files, a rubric, grading and resubmission."""

    name = "assignments"
    verbose_name = _("Assignments")

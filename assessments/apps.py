from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Quizzes and the evaluation loop: Kirkpatrick L1-L3, learning needs, public feedback."""

    name = "assessments"
    verbose_name = _("Assessments and evaluation")

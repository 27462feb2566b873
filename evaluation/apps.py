from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """The evaluation loop: Kirkpatrick L1-L3, learning needs, public feedback and the reports."""

    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        # Registers the evaluation's daily job (core.daily).
        from evaluation import daily  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """The organization admin's JP compliance report (page, exports, API): a reader of the
    learner records, above `learners`, which never imports it."""

    name = "compliance"
    verbose_name = _("JP compliance")

    def ready(self):
        from compliance import signals  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """Lentera as an LTI 1.3 tool: platforms, launches, deep linking and grades sent back."""

    name = "lti"
    verbose_name = _("LTI 1.3")

    def ready(self):
        # A completed course sends its score and completion back to the platforms that launched it.
        from lti import signal_handlers  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content and accounts; the sink of the dependency graph (nothing imports it)."""

    name = "demo"
    verbose_name = _("Demo content")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    """Learning records sent as xAPI statements to a learning record store (issue 21)."""

    name = "xapi"
    verbose_name = _("xAPI statements")

    def ready(self):
        # The receivers that queue a statement for each record worth sending, and the daily job
        # that queues again the deliveries whose next attempt is overdue (core.daily).
        from xapi import daily, receivers  # noqa: F401

        receivers.connect()

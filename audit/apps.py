from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log of who processed whose personal data (UU 27/2022, "UU PDP").

    A bottom-floor app: it imports no other Lentera app (the user and the organization are named
    by string), so every app may record events without an import cycle."""

    name = "audit"
    verbose_name = _("Audit log")

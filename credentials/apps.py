from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    """Open Badges 3.0 credentials of course and path certificates: signing keys, status lists,
    downloads and verification."""

    name = "credentials"
    verbose_name = _("Open Badges credentials")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the site as a whole: backups of the database and media and their restore
    (`lentera_backup`, `lentera_restore`). Top floor: a backup holds every app's tables, and it
    finds them through the app registry, so it imports no app and no app imports it."""

    name = "operations"
    verbose_name = _("Operations")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    """Lentera as an installable, offline-first web app: the web app manifest, the service
    worker's script and configuration, the offline page and the manifests of what a course or
    module saves on the device. The learner's records stay on the server (source of truth)."""

    name = "offline"
    verbose_name = _("Offline use")

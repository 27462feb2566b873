from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathsConfig(AppConfig):
    """Learning paths: ordered courses and activities toward a position or competency level."""

    name = "paths"
    verbose_name = _("Learning paths")

    def ready(self):
        # Course completions and verified development records move a follower along a path.
        from paths import signal_handlers  # noqa: F401

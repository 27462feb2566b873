from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom floor: helpers every app may use (exports, charts, the task queue, the daily
    jobs). It imports no other Lentera app, so nothing it holds can pull an import cycle in."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # The task_finished receiver that retries tasks after a passing failure, and the
        # daily job that requeues tasks whose worker died.
        from core import task_queue  # noqa: F401

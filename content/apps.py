from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")

    def ready(self):
        from content.lookups import integer_lookups_register
        from content.signal_handlers import register_signal_handlers

        register_signal_handlers()
        integer_lookups_register()

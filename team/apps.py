from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    """The supervisor's team ("Tim saya"): the people whose confirmed direct supervisor one is,
    their JP, records, needs and learning, and the enrollment requests the supervisor decides.
    No models of its own: it reads development, evaluation, coaching and learners."""

    name = "team"
    verbose_name = _("The supervisor's team")

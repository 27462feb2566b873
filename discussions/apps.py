from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    """Questions and answers about a course or a cohort, trainers' announcements, moderation."""

    name = "discussions"
    verbose_name = _("Discussions")

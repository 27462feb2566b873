from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    """Quizzes (a kind of lesson page) and learners' attempts at them."""

    name = "quizzes"
    verbose_name = _("Quizzes")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Content kept current: review-by dates and their reminders, marking content reviewed, the
    overdue report (the fields themselves are `content.review.ReviewedPage`'s)."""

    name = "review"
    verbose_name = _("Content review")

    def ready(self):
        # Registers the daily reminders (core.daily) and the review-by default on publishing.
        from review import daily  # noqa: F401
        from review.signal_handlers import register_signal_handlers

        register_signal_handlers()

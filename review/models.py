"""The reminders sent about a page's review-by date: one row per page, date and threshold, so
that the daily job sends each reminder once, and again only for a new review-by date."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewReminder(models.Model):
    """A reminder sent to a page's owner that its review-by date is near or passed."""

    class Threshold(models.IntegerChoices):
        THIRTY_DAYS = 30, _("30 days before")
        SEVEN_DAYS = 7, _("7 days before")
        OVERDUE = 0, _("overdue")

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    review_by = models.DateField(_("review by"))
    threshold = models.PositiveSmallIntegerField(_("threshold"), choices=Threshold.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "review_by", "threshold"], name="one_review_reminder_per_threshold"
            )
        ]
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")

    def __str__(self) -> str:
        return f"{self.page_id} {self.review_by} {self.threshold}"

"""Content kept current: what a course and a library resource share to stay relevant.

Each has an owner (reminded before its review-by date), a review-by date (12 months after it was
first published unless an editor sets another), the day it was last reviewed and by whom (shown to
learners), and, for content resting on a regulation, whether it is superseded and by what: a
superseded page leaves every recommendation and shows a notice. The reminders, the overdue report
and "mark as reviewed" are the `review` app's; the fields live on the pages so that the course page
shows them without a query.
"""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from content.page_forms import ReviewedPageForm

#: A page is due for review this many months after it was first published, or last reviewed.
REVIEW_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class ReviewedPage(models.Model):
    """A page whose content an owner keeps current: review-by date, last review, superseded.

    Mixed into `CoursePage` and `ResourcePage` before their other bases."""

    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("content owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "An editor or moderator of the organization, reminded before the review-by date. "
            "Empty: whoever created the page."
        ),
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("Empty: 12 months after the page is first published."),
    )
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, editable=False)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last reviewed by"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded = models.BooleanField(
        _("superseded"),
        default=False,
        help_text=_(
            "The regulation this content rests on was replaced: the content leaves "
            "recommendations and learners see a notice."
        ),
    )
    superseded_by = models.ForeignKey(
        "content.ResourcePage",
        verbose_name=_("superseded by (regulation)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "regulation"},
    )
    superseded_note = models.CharField(
        _("note on what replaced it"),
        max_length=300,
        blank=True,
        help_text=_("Shown to learners, e.g. “Replaced by PermenPANRB 6/2026; update coming.”"),
    )

    base_form_class = ReviewedPageForm

    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("content_owner"),
                FieldPanel("review_by"),
                FieldPanel("superseded"),
                FieldPanel("superseded_by"),
                FieldPanel("superseded_note"),
            ],
            heading=_("Review and currency"),
        )
    ]

    class Meta:
        abstract = True

    @property
    def reviewed_on(self) -> date | None:
        """When the content was last reviewed: marked so, or else first published (publishing
        goes through its organization's moderators)."""
        if self.last_reviewed_on:
            return self.last_reviewed_on
        first = getattr(self, "first_published_at", None)
        return first.date() if first else None

    def with_content_json(self, content):
        # A revision keeps the page's fields as they were when it was saved. The review record
        # is the live page's own (like Wagtail's `owner`), and a review marked after the
        # revision was saved keeps its review-by date too.
        page = super().with_content_json(content)
        page.last_reviewed_on = self.last_reviewed_on
        page.last_reviewed_by_id = self.last_reviewed_by_id
        if self.last_reviewed_on and str(self.last_reviewed_on) != (
            content.get("last_reviewed_on") or ""
        ):
            page.review_by = self.review_by
        if page.review_by is None:
            # Set when the page was first published (`content.services.page_review_defaults`).
            page.review_by = self.review_by
        return page

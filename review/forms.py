"""The form of "mark as reviewed": the next review-by date, 12 months on unless changed."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: The furthest a review may put the next one off.
LONGEST_REVIEW_DAYS = 3 * 366


class ReviewMarkForm(forms.Form):
    review_by = forms.DateField(
        label=_("Next review by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("12 months from today unless you choose another date."),
    )

    def clean_review_by(self):
        review_by = self.cleaned_data["review_by"]
        today = timezone.localdate()
        if review_by <= today:
            raise forms.ValidationError(
                _("Choose a date after today: this is when the content is next reviewed."),
                code="past",
            )
        if review_by > today + timedelta(days=LONGEST_REVIEW_DAYS):
            raise forms.ValidationError(
                _("Choose a date within three years: content is reviewed at least that often."),
                code="too_far",
            )
        return review_by

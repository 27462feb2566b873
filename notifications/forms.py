"""The notification preference form (on the profile page and the notifications page)."""

from django import forms

from notifications.models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["daily_digest"]

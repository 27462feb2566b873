"""Forms of the privacy pages: the audit log's filters and the account deletion."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent

EARLIEST_EVENT_DATE = date(2000, 1, 1)


class AuditFiltersForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEvent.Action.choices],
    )
    dari = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def _clean_day(self, name: str) -> date | None:
        # Dates centuries away overflowed the time zone conversion (a 500); no event is older
        # than Lentera, and none is dated after next year.
        day = self.cleaned_data[name]
        latest = date(timezone.localdate().year + 1, 12, 31)
        if day and not EARLIEST_EVENT_DATE <= day <= latest:
            raise forms.ValidationError(
                _("Choose a date from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST_EVENT_DATE.year, "latest": latest.year}
            )
        return day

    def clean_dari(self) -> date | None:
        return self._clean_day("dari")

    def clean_sampai(self) -> date | None:
        return self._clean_day("sampai")

    def clean(self):
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            raise forms.ValidationError(_("The start date must be before the end date."))
        return data


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for its password again: a left-open session is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be deleted for good."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password

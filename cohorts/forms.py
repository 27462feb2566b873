"""Forms of the trainer's dashboard; every message is translatable and says what to fix."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from cohorts.permissions import trainers_eligible_for
from cohorts.selectors import SORTS, LearnerState
from learners.models import User, WorkUnit
from learners.nip import nip_normalize, nip_parse


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CohortForm(forms.ModelForm):
    """A cohort's name and schedule, and its co-trainers by e-mail address."""

    trainer_emails = forms.CharField(
        label=_("Other trainers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E-mail addresses of trainers of the course's provider (or people its organization "
            "admin allows), one per line."
        ),
    )

    class Meta:
        model = Cohort
        fields = ["course", "name", "starts_on", "ends_on", "enrollment_deadline", "capacity"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "enrollment_deadline": DateInput(),
        }

    def __init__(self, *args, courses=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            del self.fields["course"]
            self.fields["trainer_emails"].initial = "\n".join(
                self.instance.trainers.exclude(pk=user.pk).values_list("email", flat=True)
            )
        else:
            self.fields["course"].queryset = courses

    def clean_trainer_emails(self) -> list[User]:
        emails = [line.strip().lower() for line in self.cleaned_data["trainer_emails"].split()]
        for email in emails:
            try:
                validate_email(email)
            except ValidationError as error:
                raise ValidationError(
                    _("%(email)s is not an e-mail address.") % {"email": email}
                ) from error
        course = self.instance.course if self.instance.pk else self.cleaned_data.get("course")
        if course is None:
            return []
        # Only eligible trainers are looked up, and the message is the same for an address
        # without an account: the form never tells whether an address has one.
        found = {
            user.email.lower(): user
            for user in trainers_eligible_for(course).filter(email__in=emails)
        }
        missing = [email for email in emails if email not in found]
        if missing:
            raise ValidationError(
                _(
                    "%(emails)s cannot train this cohort: only trainers of the course's "
                    "provider, or people its organization admin allows, can."
                )
                % {"emails": ", ".join(missing)}
            )
        return list(found.values())


class TableFiltersForm(forms.Form):
    """The learners table's filters and sort, read from the query string."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + LearnerState.choices
    )
    unit = forms.TypedChoiceField(
        label=_("Work unit"), required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(label=_("Name or NIP"), required=False, max_length=100)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])

    def __init__(self, *args, units=(), cohort=None, **kwargs):
        """`units` (id, name) for the drop-down; None when the cohort's learners are in too many
        units for one (`cohorts.views.UNIT_SELECT_MAX`): the unit is then chosen from the
        table's unit column and checked to be one of the cohort's learners' (`clean_unit`)."""
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.unit_select = units is not None
        self.unit_name = ""
        if self.unit_select:
            self.fields["unit"].choices = [("", _("All units"))] + [
                (unit_id, name) for unit_id, name in units
            ]
        else:
            self.fields["unit"] = forms.IntegerField(
                label=_("Work unit"),
                required=False,
                min_value=1,
                max_value=2**31 - 1,
                widget=forms.HiddenInput,
            )

    def clean_unit(self) -> int | None:
        unit = self.cleaned_data.get("unit")
        if self.unit_select or unit is None:
            return unit
        name = (
            WorkUnit.objects.filter(
                pk=unit, members__enrollments__cohort_membership__cohort=self.cohort
            )
            .values_list("name", flat=True)
            .first()
        )
        if name is None:
            raise ValidationError(_("No learner of this cohort is in this work unit."))
        self.unit_name = name
        return unit


class AddLearnerForm(forms.Form):
    """Add one person by NIP or e-mail address."""

    person = forms.CharField(
        label=_("NIP or e-mail address"),
        max_length=254,
        help_text=_("Someone without an account yet is invited, and joins when they sign up."),
    )

    def clean_person(self) -> tuple[str, str]:
        value = self.cleaned_data["person"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError as error:
                raise ValidationError(_("Enter a valid e-mail address.")) from error
            return "", value.lower()
        return nip_parse(nip_normalize(value)).digits, ""


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("List of learners (CSV or Excel)"),
        help_text=_(
            'A first row naming the columns "nip" and/or "email", then one person per row; '
            "at most %(rows)s rows and %(size)s MB."
        )
        % {
            "rows": settings.LENTERA_IMPORT_MAX_ROWS,
            "size": settings.LENTERA_IMPORT_MAX_BYTES // (1024 * 1024),
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet"
            }
        ),
    )


class IdListField(forms.Field):
    """Ids ticked in a table; which of them may be used is the service's business."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as error:
            raise ValidationError(_("The selection is not valid.")) from error


class ReminderForm(forms.Form):
    learners = IdListField(required=False)
    at_risk = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("learners") and not cleaned.get("at_risk"):
            raise ValidationError(_("Choose the learners to remind, or all learners at risk."))
        return cleaned

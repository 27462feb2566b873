"""Forms of development records: they check the input's shape; `development.services` applies
the rules and says what is wrong with the activity."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import Competency
from content.translation import source_snippets
from development.models import DevelopmentForm, FormRule


class DateInput(forms.DateInput):
    input_type = "date"


class RecordForm(forms.Form):
    """An activity: what, when, how long, what it developed, what was learned, the evidence."""

    form = forms.ModelChoiceField(
        label=_("Form of development"),
        queryset=DevelopmentForm.objects.filter(active=True),
        empty_label=_("Choose a form"),
    )
    title = forms.CharField(label=_("Title of the activity"), max_length=255)
    organizer = forms.CharField(label=_("Organizer"), max_length=255, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput)
    # No minimum here: `services` refuses hours of zero or less in words of its own, the same
    # for the page and the API.
    hours = forms.DecimalField(label=_("Hours of learning"), max_digits=6, decimal_places=2)
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies developed"),
        queryset=source_snippets(Competency.objects.order_by("kind", "name")),
        required=False,
    )
    report = forms.CharField(
        label=_("Report"),
        help_text=_(
            "What you learned, from which sources, and how you will apply it in your work."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), max_length=500, required=False, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("A certificate, photo or document: PDF, JPG, PNG, DOCX, ODT, XLSX or PPTX."),
        required=False,
    )

    @staticmethod
    def initial_for(record) -> dict:
        return {
            "form": record.form_id,
            "title": record.title,
            "organizer": record.organizer,
            "start_date": record.start_date,
            "end_date": record.end_date,
            "hours": record.hours,
            "competencies": [c.pk for c in record.competencies.all()],
            "report": record.report,
            "evidence_url": record.evidence_url,
        }

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        upload = data.pop("evidence_file", None)
        data["files"] = [upload] if upload else []
        return data


class DecisionForm(forms.Form):
    """The verifier's decision on a submitted record."""

    DECISIONS = [
        ("verify", _("Verify")),
        ("changes", _("Ask for changes")),
        ("reject", _("Reject")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note to the owner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you ask for changes or reject."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RuleForm(forms.Form):
    """An organization's own rule for one form."""

    max_jp_per_activity = forms.DecimalField(
        label=_("Maximum JP per activity"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Empty for no cap."),
    )
    max_jp_per_year = forms.DecimalField(
        label=_("Maximum JP per year"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Empty for no cap."),
    )
    evidence = forms.ChoiceField(label=_("Evidence required"), choices=FormRule.Evidence.choices)

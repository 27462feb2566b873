"""The learner's submission form and the trainer's grading form (built from the rubric)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import FEEDBACK_MAX, MAX_FILES, TEXT_MAX, AssignmentPage


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by `assignments.services`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class SubmissionForm(forms.Form):
    """Text and/or files, as the assignment allows; the service has the last word."""

    text = forms.CharField(
        label=_("Your answer"), required=False, max_length=TEXT_MAX, widget=forms.Textarea
    )
    files = MultipleFileField(label=_("Files"), required=False)

    def __init__(self, *args, assignment: AssignmentPage, **kwargs):
        super().__init__(*args, **kwargs)
        if not assignment.allow_text:
            del self.fields["text"]
        if assignment.allowed_file_types:
            self.fields["files"].widget.attrs["accept"] = ",".join(
                f".{kind}" for kind in assignment.allowed_file_types
            )
            self.fields["files"].help_text = _(
                "Up to %(count)d files: %(types)s, at most %(size)d MB each."
            ) % {
                "count": MAX_FILES,
                "types": ", ".join(f".{kind}" for kind in assignment.allowed_file_types),
                "size": assignment.max_file_mb,
            }
        else:
            del self.fields["files"]


class GradeForm(forms.Form):
    """One score per rubric criterion, feedback, and the decision."""

    GRADE = "grade"
    RETURN = "return"

    feedback = forms.CharField(
        label=_("Feedback"), required=False, max_length=FEEDBACK_MAX, widget=forms.Textarea
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(GRADE, _("Grade")), (RETURN, _("Return for resubmission"))],
        initial=GRADE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, assignment: AssignmentPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = assignment.criteria()
        for criterion in self.criteria:
            self.fields[f"score_{criterion['id']}"] = forms.IntegerField(
                label=criterion["name"],
                required=False,
                min_value=0,
                max_value=criterion["max_points"],
                help_text=_("0 to %(max)d points") % {"max": criterion["max_points"]},
            )

    def scores(self) -> dict:
        return {
            criterion["id"]: self.cleaned_data.get(f"score_{criterion['id']}")
            for criterion in self.criteria
        }

    def score_fields(self):
        return [(criterion, self[f"score_{criterion['id']}"]) for criterion in self.criteria]

"""Forms of the change project pages: they read and shape input; the rules are in `services`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projects.models import (
    COMMENT_MAX,
    MILESTONES_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    ChangeProject,
    Topic,
)
from projects.services import MilestonePlan

#: Empty milestone rows the proposal form offers beyond the planned ones.
SPARE_ROWS = 3


class ServiceErrorsMixin:
    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class ProposalForm(ServiceErrorsMixin, forms.Form):
    """The proposal: title, topic, problem, goals, stakeholders and dated milestones."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    problem = forms.CharField(
        label=_("Problem"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    goals = forms.CharField(
        label=_("Goals"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    stakeholders = forms.CharField(
        label=_("Stakeholders"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, planned: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = min(MILESTONES_MAX, max(planned + SPARE_ROWS, 4))
        for index in range(1, self.rows + 1):
            self.fields[f"milestone_{index}_title"] = forms.CharField(
                label=_("Milestone %(number)s") % {"number": index},
                max_length=TITLE_MAX,
                required=False,
            )
            self.fields[f"milestone_{index}_due"] = forms.DateField(
                label=_("Due on (milestone %(number)s)") % {"number": index},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    @classmethod
    def initial_of(cls, project: ChangeProject) -> dict:
        initial = {
            name: getattr(project, name)
            for name in ("title", "topic", "problem", "goals", "stakeholders")
        }
        for index, milestone in enumerate(project.milestones.all(), start=1):
            initial[f"milestone_{index}_title"] = milestone.title
            initial[f"milestone_{index}_due"] = milestone.due_on
        return initial

    def milestone_rows(self):
        return [
            (self[f"milestone_{index}_title"], self[f"milestone_{index}_due"])
            for index in range(1, self.rows + 1)
        ]

    def clean(self):
        data = super().clean()
        plans = []
        for index in range(1, self.rows + 1):
            title = (data.get(f"milestone_{index}_title") or "").strip()
            due = data.get(f"milestone_{index}_due")
            if f"milestone_{index}_due" in self.errors:
                continue
            if title and due:
                plans.append(MilestonePlan(title=title, due_on=due))
            elif title or due:
                self.add_error(
                    f"milestone_{index}_title", _("Give each milestone a title and a date.")
                )
        data["milestones"] = plans
        return data

    def proposal_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("title", "topic", "problem", "goals", "stakeholders", "milestones")
        }


class ReviewForm(ServiceErrorsMixin, forms.Form):
    """Approve (accept) or ask for changes, with a comment."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("changes", _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class MilestoneReportForm(ServiceErrorsMixin, forms.Form):
    """What was done for a milestone, and its evidence."""

    report = forms.CharField(
        label=_("Report"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), max_length=URL_MAX, required=False, assume_scheme="https"
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        widget=MultipleFileInput(),
        help_text=_("PDF, images or office documents."),
    )


class CommentForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class FinalReportForm(ServiceErrorsMixin, forms.Form):
    final_report = forms.CharField(
        label=_("Final report"), max_length=TEXT_MAX * 2, widget=forms.Textarea(attrs={"rows": 12})
    )


class AssessmentForm(ServiceErrorsMixin, forms.Form):
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ChangeProject.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when the report is to be revised."),
    )


class PublicationForm(ServiceErrorsMixin, forms.Form):
    public_summary = forms.CharField(
        label=_("Public summary"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What changed, how, and what others can learn. No personal data of others."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that this project's title, topic, my name, my agency and this summary are "
            "shown publicly in the innovation gallery. I can withdraw this consent at any time."
        ),
        required=False,
    )


class CoachForm(forms.Form):
    project = forms.IntegerField(widget=forms.HiddenInput)
    coach = forms.IntegerField(label=_("Coach"))


class GalleryForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    organization = forms.IntegerField(label=_("Agency"), required=False, min_value=1)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All topics")), *Topic.choices], required=False
    )

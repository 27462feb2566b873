"""Forms of the evaluation loop: they check the input and say precisely what is wrong; the
services in `evaluation.services` apply the rules and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import Competency
from content.translation import source_snippets
from evaluation.models import (
    EVALUATION_SCORE_FIELDS,
    FeedbackAspect,
    LearningNeed,
)

LIKERT_CHOICES = [
    (1, _("1 — very poor")),
    (2, _("2 — poor")),
    (3, _("3 — fair")),
    (4, _("4 — good")),
    (5, _("5 — very good")),
]
CHANGE_CHOICES = [
    (1, _("1 — no change")),
    (2, _("2 — a little")),
    (3, _("3 — noticeable")),
    (4, _("4 — clear")),
    (5, _("5 — a great change")),
]


def posted_data(request):
    """The submitted data to bind a form to: an empty POST is still a submission."""
    return request.POST if request.method == "POST" else None


def _scale(label, choices, *, required_message) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose a score from 1 to 5."),
        },
    )


SCORE_REQUIRED = _("Choose a score from 1 to 5 for this question.")
NOT_APPLICABLE = "na"


def _score_or_not_applicable(value: str) -> int | None:
    return None if value == NOT_APPLICABLE else int(value)


class CourseEvaluationForm(forms.Form):
    """The reaction survey (Kirkpatrick level 1): five questions on a 1-5 scale and a comment."""

    relevance = _scale(
        _("How relevant was the course to your work?"),
        LIKERT_CHOICES,
        required_message=SCORE_REQUIRED,
    )
    material_quality = _scale(
        _("How good was the learning material?"), LIKERT_CHOICES, required_message=SCORE_REQUIRED
    )
    facilitation = _scale(
        _("How well did the trainer or facilitator support your learning?"),
        LIKERT_CHOICES,
        required_message=SCORE_REQUIRED,
    )
    platform = _scale(
        _("How easy was it to learn on Lentera?"), LIKERT_CHOICES, required_message=SCORE_REQUIRED
    )
    applicability = _scale(
        _("How well can you apply what you learned in your job?"),
        LIKERT_CHOICES,
        required_message=SCORE_REQUIRED,
    )
    comment = forms.CharField(
        label=_("Anything else you would like to tell the course team? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Keep the comment under 2,000 characters.")},
        help_text=_("The course team sees your answers without your name."),
    )

    def __init__(self, *args, facilitated: bool = True, **kwargs) -> None:
        """`facilitated`: whether the learner had a trainer or facilitator to rate
        (`evaluation_selectors.enrollment_is_facilitated`). A self-paced course is not asked
        about one; a trained course offers "not applicable", never counted as a score."""
        super().__init__(*args, **kwargs)
        if facilitated:
            field = self.fields["facilitation"]
            field.choices = [*LIKERT_CHOICES, (NOT_APPLICABLE, _("Not applicable"))]
            field.coerce = _score_or_not_applicable
            field.error_messages["required"] = _(
                'Choose a score from 1 to 5 for this question, or "not applicable".'
            )
        else:
            del self.fields["facilitation"]

    def scores(self) -> dict[str, int | None]:
        """The answers by question; None for a question not applicable or not asked."""
        return {name: self.cleaned_data.get(name) for name in EVALUATION_SCORE_FIELDS}


class BehaviourFollowUpForm(forms.Form):
    """The supervisor's follow-up: the change seen in each of the course's competencies."""

    comment = forms.CharField(
        label=_("What has changed in their work? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Keep the comment under 2,000 characters.")},
    )

    def __init__(self, *args, competencies: list[Competency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        rating_fields = {
            f"competency_{competency.pk}": _scale(
                competency.name,
                CHANGE_CHOICES,
                required_message=_("Rate the change in this competency from 1 to 5."),
            )
            for competency in competencies
        }
        self.competencies = competencies
        self.fields = {**rating_fields, **self.fields}

    def ratings(self) -> dict[int, int]:
        return {
            competency.pk: self.cleaned_data[f"competency_{competency.pk}"]
            for competency in self.competencies
        }


class LearningNeedForm(forms.Form):
    """A learning need: which competency, from which level to which, how urgent and why."""

    competency = forms.ModelChoiceField(
        label=_("Competency"),
        queryset=source_snippets(Competency.objects.order_by("kind", "code")),
        error_messages={
            "required": _("Choose the competency you need to develop."),
            "invalid_choice": _("Choose a competency from the list."),
        },
    )
    current_level = forms.TypedChoiceField(
        label=_("Your current level"),
        choices=[(0, _("0 — not yet at level 1"))] + [(level, str(level)) for level in range(1, 5)],
        coerce=int,
        error_messages={
            "required": _("Choose your current level."),
            "invalid_choice": _("Choose a current level from 0 to 4."),
        },
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"),
        choices=[(level, str(level)) for level in range(1, 6)],
        coerce=int,
        help_text=_("Usually the level your position's competency standard requires."),
        error_messages={
            "required": _("Choose the level you aim for."),
            "invalid_choice": _("Choose a target level from 1 to 5."),
        },
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=LearningNeed.Priority.choices,
        initial=LearningNeed.Priority.MEDIUM,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a priority."),
            "invalid_choice": _("Choose low, medium or high priority."),
        },
    )
    reason = forms.CharField(
        label=_("Why do you need it?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The task, change or appraisal result that calls for it."),
        error_messages={
            "required": _("Explain why you need this competency."),
            "max_length": _("Keep the reason under 2,000 characters."),
        },
    )
    appraisal_reference = forms.CharField(
        label=_("Performance appraisal reference (optional)"),
        max_length=200,
        required=False,
        help_text=_('For example "SKP 2025, indicator 3".'),
        error_messages={"max_length": _("Keep the reference under 200 characters.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(
                _("Explain the reason in a sentence or two (at least 10 characters)."),
                code="too_short",
            )
        return reason

    def clean(self) -> dict:
        cleaned_data = super().clean()
        current, target = cleaned_data.get("current_level"), cleaned_data.get("target_level")
        if current is not None and target is not None and target <= current:
            self.add_error(
                "target_level",
                forms.ValidationError(
                    _("The target level must be higher than your current level."),
                    code="target_not_above_current",
                ),
            )
        return cleaned_data

    @classmethod
    def initial_for(cls, need: LearningNeed) -> dict:
        return {
            "competency": need.competency_id,
            "current_level": need.current_level,
            "target_level": need.target_level,
            "priority": need.priority,
            "reason": need.reason,
            "appraisal_reference": need.appraisal_reference,
        }


class NeedDecisionForm(forms.Form):
    """An endorser's decision on one submitted need."""

    need = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("endorse", _("Endorse")), ("reject", _("Do not endorse"))],
        error_messages={
            "required": _("Choose to endorse or not."),
            "invalid_choice": _("Choose to endorse or not."),
        },
    )
    note = forms.CharField(
        label=_("Note to the learner"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the note under 1,000 characters.")},
    )

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if cleaned_data.get("decision") == "reject" and not cleaned_data.get("note", "").strip():
            self.add_error(
                "note",
                forms.ValidationError(
                    _("Say why the need is not endorsed, so the learner can revise it."),
                    code="note_required",
                ),
            )
        return cleaned_data


class PublicFeedbackForm(forms.Form):
    """A citizen's rating of a service unit, with a honeypot field for robots.

    `website` is hidden from people (visually and from assistive technology); robots that fill
    every field give themselves away.
    """

    rating = _scale(
        _("How satisfied are you with the service?"),
        [
            (1, _("1 — very dissatisfied")),
            (2, _("2 — dissatisfied")),
            (3, _("3 — neither")),
            (4, _("4 — satisfied")),
            (5, _("5 — very satisfied")),
        ],
        required_message=_("Choose how satisfied you are, from 1 to 5."),
    )
    aspects = forms.ModelMultipleChoiceField(
        label=_("What fell short? (optional)"),
        queryset=FeedbackAspect.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose aspects from the list.")},
    )
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please do not write personal data such as your ID or phone number."),
        error_messages={"max_length": _("Keep the comment under 1,000 characters.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, aspects, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aspects"].queryset = aspects

    @property
    def is_robot(self) -> bool:
        return bool(self.is_bound and self.data.get("website", "").strip())

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]

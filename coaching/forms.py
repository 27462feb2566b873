"""Forms of coaching: they check the input's shape; `coaching.services` applies the rules and
says what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.models import MAX_SESSION_MINUTES, CoachingAgreement


class DateInput(forms.DateInput):
    input_type = "date"


class AgreementForm(forms.Form):
    """A proposal: my role, the other person's account, the kind, the topic and goals."""

    role = forms.ChoiceField(
        label=_("My role"),
        choices=[
            (CoachingAgreement.Role.COACHEE, _("I am the coachee")),
            (CoachingAgreement.Role.COACH, _("I am the coach or mentor")),
        ],
        initial=CoachingAgreement.Role.COACHEE,
        widget=forms.RadioSelect,
    )
    other_email = forms.EmailField(
        label=_("E-mail address of the other person"),
        help_text=_("Their Lentera account: often your direct supervisor as coach or mentor."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CoachingAgreement.Kind.choices)
    title = forms.CharField(label=_("Topic"), max_length=200)
    goals = forms.CharField(
        label=_("Goals"),
        help_text=_("What the coachee wants to be able to do at the end."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)


class SessionForm(forms.Form):
    """A session that took place: when, how long, what was discussed and agreed."""

    session_date = forms.DateField(label=_("Date of the session"), widget=DateInput)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=MAX_SESSION_MINUTES
    )
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_("What you discussed and learned; it becomes the record's report."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    agreed_actions = forms.CharField(
        label=_("Agreed actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

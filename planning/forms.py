"""Forms of development plans: they check the input's shape; `planning.services` applies the rules
(course or form, target date in the plan's year, JP above zero) and says what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import Competency
from content.translation import source_pages, source_snippets
from courses.models import CoursePage
from development.models import DevelopmentForm
from evaluation.models import LearningNeed
from learners.models import User


class DateInput(forms.DateInput):
    input_type = "date"


class PlanCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years: tuple[int, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


class ItemForm(forms.Form):
    """A planned activity: a Lentera course or a form of development outside courses."""

    course = forms.ModelChoiceField(
        label=_("Lentera course"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("None: an activity outside Lentera"),
    )
    form = forms.ModelChoiceField(
        label=_("Or a form of development outside Lentera"),
        queryset=DevelopmentForm.objects.filter(active=True),
        required=False,
        empty_label=_("None: a Lentera course"),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("For a Lentera course, leave empty to use the course's title."),
    )
    competency = forms.ModelChoiceField(
        label=_("Competency it develops"),
        queryset=source_snippets(Competency.objects.order_by("kind", "name")),
        required=False,
    )
    need = forms.ModelChoiceField(
        label=_("Learning need it answers"),
        queryset=LearningNeed.objects.none(),
        required=False,
    )
    target_date = forms.DateField(label=_("Target date"), widget=DateInput)
    planned_jp = forms.DecimalField(label=_("Planned JP"), max_digits=6, decimal_places=2)

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = source_pages(CoursePage.objects.live()).order_by("title")
        self.fields["need"].queryset = (
            LearningNeed.objects.filter(user=owner)
            .exclude(status=LearningNeed.Status.REJECTED)
            .select_related("competency")
            .order_by("-created_at")
        )
        self.fields["need"].label_from_instance = lambda need: (
            f"{need.competency.name}: {need.current_level} → {need.target_level}"
        )

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "course": item.course_id,
            "form": item.form_id,
            "title": item.title,
            "competency": item.competency_id,
            "need": item.need_id,
            "target_date": item.target_date,
            "planned_jp": item.planned_jp,
        }


class DecisionForm(forms.Form):
    """The confirmed supervisor's decision on a plan."""

    DECISIONS = [("agree", _("Agree")), ("return", _("Return for changes"))]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note to the owner"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you return the plan."),
    )

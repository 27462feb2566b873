from django import forms
from django.utils.translation import gettext_lazy as _

from content.translation import source_pages
from courses.models import CoursePage


class CoursePickForm(forms.Form):
    """The platform's editor chooses the published Lentera courses to place in their course."""

    courses = forms.ModelMultipleChoiceField(
        label=_("Courses"),
        queryset=CoursePage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one course."),
            "invalid_choice": _("Choose among the published courses listed."),
            "invalid_pk_value": _("Choose among the published courses listed."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = source_pages(CoursePage.objects.live().public()).order_by(
            "title"
        )

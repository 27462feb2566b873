"""The learning path's admin form: the rules that span its steps, checked on what the editor
submitted (the page holds its steps only once saved)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


def step_problems(steps: Iterable[tuple[int | None, int | None, bool]]) -> list[ValidationError]:
    """What is wrong with a path's steps, given as (course id, development form id, required):
    no required step, or a course twice. (Each step's own rule, a course xor an activity, is
    `LearningPathStep.clean`.)"""
    problems = []
    steps = list(steps)
    if not any(required for _course, _form, required in steps):
        problems.append(
            ValidationError(_("A path needs at least one required step."), code="no_required_step")
        )
    courses = [course for course, _form, _required in steps if course is not None]
    if len(courses) != len(set(courses)):
        problems.append(
            ValidationError(_("A course appears twice in the path."), code="duplicate_course")
        )
    return problems


class LearningPathPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("steps")
        # Each step's own errors are shown beside it; the rules across steps need them valid.
        if formset is None or not formset.is_valid():
            return cleaned_data
        steps = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            course, activity = data.get("course"), data.get("development_form")
            if course is None and activity is None:
                continue
            steps.append(
                (
                    course.pk if course else None,
                    activity.pk if activity else None,
                    bool(data.get("required")),
                )
            )
        for problem in step_problems(steps):
            self.add_error(None, problem)
        return cleaned_data

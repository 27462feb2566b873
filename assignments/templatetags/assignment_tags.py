"""The learner's state on an assignment page, loaded in a fixed number of queries.

`AssignmentPage` is declarative content and imports no learner code; its template asks this tag
for the visitor's submissions, as quiz pages ask `quiz_tags`.
"""

from django import template

from assignments.forms import SubmissionForm
from assignments.selectors import AssignmentState, assignment_state

register = template.Library()


@register.simple_tag(takes_context=True)
def assignment_state_for(context, assignment, course) -> AssignmentState:
    """The visitor's enrollment, submissions (newest first, with files) and completion: at
    most four queries (`assignments.selectors.assignment_state`)."""
    return assignment_state(user=context["request"].user, assignment=assignment, course=course)


@register.simple_tag(takes_context=True)
def submission_form(context, assignment) -> SubmissionForm:
    """The bound form with its errors when the submission view sent the page back (400), else
    a blank one."""
    form = getattr(context["request"], "assignment_form", None)
    return form if form is not None else SubmissionForm(assignment=assignment)

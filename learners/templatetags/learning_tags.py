"""The learner's state on course and lesson pages, loaded in a fixed number of queries.

Page models never import learner code; templates ask these tags instead.
"""

from django import template

from learners import selectors
from learners.models import Enrollment

register = template.Library()


@register.simple_tag(takes_context=True)
def course_state(context, course) -> dict:
    """Enrollment, progress and what the learner may do next on a course page."""
    user = context["request"].user
    enrollment = selectors.enrollment_for_course(user=user, course=course)
    progress = None
    if enrollment is not None:
        enrollment.course = course
        progress = selectors.enrollments_progress([enrollment])[enrollment.pk]
    can_enroll = enrollment is None or enrollment.status in (
        Enrollment.Status.REJECTED,
        Enrollment.Status.WITHDRAWN,
        Enrollment.Status.EXPIRED,
    )
    return {
        "enrollment": enrollment,
        "progress": progress,
        "can_enroll": can_enroll,
        "missing_prerequisites": (
            selectors.missing_prerequisites(user=user, course=course)
            if can_enroll and user.is_authenticated
            else []
        ),
        "certificate": getattr(enrollment, "certificate", None) if enrollment else None,
    }


@register.simple_tag(takes_context=True)
def lesson_state(context, lesson, course, outline) -> dict:
    """Whether the learner is enrolled, has done this lesson, and their course progress."""
    user = context["request"].user
    if course is None or not user.is_authenticated:
        return {"enrollment": None}
    enrollment = selectors.learning_enrollments(user=user, course=course).first()
    if enrollment is None:
        return {"enrollment": None}
    done = selectors.enrollment_completed_lesson_ids(enrollment)
    required = [pk for entry in outline for pk in entry["required_ids"]]
    completed_required = sum(1 for pk in required if pk in done)
    return {
        "enrollment": enrollment,
        "completed_lesson_ids": done,
        "is_completed": lesson.pk in done,
        "percent": selectors.progress_percent(
            status=enrollment.status, required=len(required), done=completed_required
        ),
    }


@register.filter
def before_full_stop(value) -> str:
    """A name that a sentence's full stop follows, without its own final period, so that
    "Budi Santoso, S.Sos." ends the sentence once ("S.Sos.", not "S.Sos..")."""
    return str(value).rstrip(".").rstrip()

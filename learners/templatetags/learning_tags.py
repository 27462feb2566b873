"""The learner's state on course and lesson pages, loaded in a fixed number of queries.

Page models never import learner code; templates ask these tags instead.
"""

from django import template
from django.utils import translation

from learners import page_state, selectors
from learners.certificates import certificate_pdf_language
from learners.models import Enrollment

register = template.Library()


@register.simple_tag(takes_context=True)
def course_state(context, course) -> dict:
    """Enrollment, progress and what the learner may do next on a course page: the enrollment
    (with its stored progress) and, for an active one, the next lesson: two small queries
    whatever the course's length."""
    user = context["request"].user
    enrollment = selectors.enrollment_for_course(user=user, course=course)
    progress = None
    if enrollment is not None:
        progress = {
            "percent": selectors.progress_percent(
                status=enrollment.status,
                required=enrollment.required_total,
                done=enrollment.required_done,
            ),
            "next_lesson": (
                page_state.next_lesson_for(
                    enrollment=enrollment, course=course, request=context["request"]
                )
                if enrollment.status == Enrollment.Status.ACTIVE
                else None
            ),
        }
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
def lesson_state(context, lesson, course, nav) -> page_state.LessonPageState:
    """Whether the learner is enrolled, has done this lesson and the lessons of the outline
    window (`nav`, a `courses.outline.LessonNav`), and their course progress: one query."""
    if course is None:
        return page_state.LessonPageState()
    return page_state.lesson_page_state(
        user=context["request"].user,
        course=course,
        lesson_id=lesson.pk,
        window_ids=nav.lesson_ids if nav else [],
    )


@register.filter
def before_full_stop(value) -> str:
    """A name that a sentence's full stop follows, without its own final period, so that
    "Budi Santoso, S.Sos." ends the sentence once ("S.Sos.", not "S.Sos..")."""
    return str(value).rstrip(".").rstrip()


@register.simple_tag
def certificate_translated() -> bool:
    """Whether a certificate's download gives a translation in the interface's language, so
    that the official PDF in Bahasa Indonesia is linked beside it."""
    return certificate_pdf_language(interface_language=translation.get_language()) is not None

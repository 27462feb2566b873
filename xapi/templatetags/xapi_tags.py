"""The lesson page's hook for "experienced": the address its script posts to once the lesson has
been visible a while (frontend/src/experienced.js). Reads settings only: the page's queries and
writes stay as they are (issue 19)."""

from django import template
from django.utils.html import format_html

from courses.models import LessonPage
from xapi.services import xapi_enabled

register = template.Library()


@register.simple_tag
def experienced_beacon(page, enrollment) -> str:
    """` data-xapi-experienced="<url>"` for an enrolled learner on a plain lesson (not a quiz, a
    package or an assignment, which record what is done in them) while xAPI is on; else ""."""
    if enrollment is None or type(page) is not LessonPage or page.pk is None or not xapi_enabled():
        return ""
    return format_html(' data-xapi-experienced="/api/v1/lessons/{}/experienced"', page.pk)

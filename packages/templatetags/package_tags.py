"""The learner's side of a package lesson page, loaded in a fixed number of queries.

`PackageLessonPage` is declarative content and imports no learner code; its template asks this
tag for the runtime config (`packages.selectors.runtime_config`: the learner's state in each
item, the player's URL on the package origin) as quiz pages ask `quiz_tags`.
"""

from copy import copy

from django import template
from django.contrib.auth.models import AnonymousUser

from packages.models import PackageLessonPage
from packages.selectors import runtime_config

register = template.Library()


@register.simple_tag(takes_context=True)
def package_runtime(context, lesson: PackageLessonPage) -> dict | None:
    """The runtime config for the visitor, or None while the lesson has no package (a preview
    of a lesson being written).

    A preview (the Wagtail admin's, `request.is_preview`) plays the package as a visitor who is
    not enrolled would ("browse" mode): nothing the editor does in it is recorded, even when
    they are enrolled in the course themselves.
    """
    request = context["request"]
    if lesson.package_id is None:
        return None
    user = request.user
    if getattr(request, "is_preview", False):
        user = AnonymousUser()
        if lesson.pk is None:
            # A lesson previewed before its first save has no id for the API's URLs; in browse
            # mode nothing is posted to them.
            lesson = copy(lesson)
            lesson.pk = 0
    return runtime_config(user=user, lesson=lesson, request=request)


@register.filter
def package_item_status(item: dict, statuses: dict) -> str:
    """The learner's status of one item of the outline, in words (passed or failed first)."""
    success = item.get("successStatus")
    key = success if success in ("passed", "failed") else item.get("completionStatus")
    return statuses.get(key, "")

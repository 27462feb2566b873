"""A learner's progress along learning paths, for the path page and the my-learning page: the
page model stays declarative (`paths.models`), and `learners` owns my-learning without importing
paths, so both templates ask for it with these tags."""

from django import template

from learners.models import User
from paths.models import LearningPathPage
from paths.selectors import (
    FollowedPath,
    PathProgress,
    StepState,
    followed_paths,
    live_paths,
    path_progress,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def path_progress_of(context, page: LearningPathPage) -> PathProgress:
    """The signed-in person's progress along `page` (steps only, for anyone else): four
    queries whatever the number of steps. A preview in the admin shows the steps being edited,
    which the page holds in memory, none done."""
    request = context["request"]
    if getattr(request, "is_preview", False):
        return PathProgress(
            path_id=page.pk,
            steps=[
                StepState(step=step, number=number, done=False)
                for number, step in enumerate(page.steps.all(), start=1)
            ],
        )
    return path_progress(user=request.user, path=page)


@register.simple_tag
def paths_in_section(section) -> list[LearningPathPage]:
    """The published paths of an organization's catalog section, by title (one query)."""
    return list(live_paths().child_of(section))


@register.simple_tag
def my_paths(user: User) -> list[FollowedPath]:
    """The paths `user` follows, with their progress, in four queries for any number."""
    return followed_paths(user)

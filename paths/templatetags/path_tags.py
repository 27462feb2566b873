"""A learner's progress along learning paths, for the path page and the my-learning page: the
page model stays declarative (`paths.models`), and `learners` owns my-learning without importing
paths, so both templates ask for it with these tags."""

from django import template

from learners.models import User
from paths.models import LearningPathPage
from paths.selectors import FollowedPath, PathProgress, followed_paths, path_progress

register = template.Library()


@register.simple_tag(takes_context=True)
def path_progress_of(context, page: LearningPathPage) -> PathProgress:
    """The signed-in person's progress along `page` (steps only, for anyone else): four
    queries whatever the number of steps."""
    return path_progress(user=context["request"].user, path=page)


@register.simple_tag
def my_paths(user: User) -> list[FollowedPath]:
    """The paths `user` follows, with their progress, in four queries for any number."""
    return followed_paths(user)

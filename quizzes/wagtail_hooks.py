"""Wagtail hooks of the quizzes app: where quizzes come in a learner's path through a course."""

from django.db.models import Q
from wagtail import hooks

from quizzes.models import QuizPage
from quizzes.selectors import opens_after_lessons_q


@hooks.register("lessons_opening_last")
def post_tests_open_last():
    """Post-tests that open after the lessons: "continue learning" leads to them last."""
    return Q(pk__in=QuizPage.objects.filter(opens_after_lessons_q()).values("pk"))

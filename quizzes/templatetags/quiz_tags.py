"""The learner's state on a quiz page, loaded in a fixed number of queries.

`QuizPage` is declarative content and imports no learner code; its template asks this tag for
the visitor's attempts and whether they may start one, as course and lesson pages ask
`learning_tags`.
"""

from django import template

from quizzes.selectors import QuizIntro, quiz_intro

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_state(context, quiz, course) -> QuizIntro:
    """The visitor's enrollment, attempts in the current round, and whether they may start
    (`quizzes.selectors.quiz_intro`: four queries, five for a post-test that waits for the
    lessons)."""
    return quiz_intro(user=context["request"].user, quiz=quiz, course=course)

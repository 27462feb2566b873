"""Refusals of the discussion rules, with a message for people (see `learners.errors`)."""

from learners.errors import LearningError


class DiscussionError(LearningError):
    """A post, answer or moderation the rules refuse."""

"""The refusals every evaluation service raises: `learners.errors.LearningError` subclasses
whose message is for people and whose `code` is stable (403: not yours to do, 409: already done)."""

from learners.errors import LearningError


class EvaluationRefused(LearningError):
    status = 403


class EvaluationConflict(LearningError):
    status = 409

"""The refusals of the learner's rules, shared by every app whose services refuse a request.

A `LearningError` carries an HTTP `status` and a stable `code` for the API (`core.api` answers
any error with a `status` this way), and a message for people; the HTML views show the message.
"""


class LearningError(Exception):
    """A request the rules refuse; `code` is stable for APIs, the message is for people."""

    status = 400

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class EnrollmentRefused(LearningError):
    status = 403


class EnrollmentConflict(LearningError):
    status = 409


class NotEnrolled(LearningError):
    status = 403


class InvalidCompletion(LearningError):
    status = 400

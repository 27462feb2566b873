"""Fixtures of the operations tests: the queue on Redis (tests/operations/processes.py)."""

from tests.operations.processes import rq_queue  # noqa: F401

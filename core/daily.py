"""The daily jobs: time-based work that `manage.py lentera_daily` runs once a day.

Each app registers its own jobs from its AppConfig.ready(), so the command (on the bottom floor)
imports no app and no app imports a higher one to get its work done:

    @daily_job(name="enrollments_expire", order=10)
    def enrollments_expire_daily(today: date) -> str:
        return f"{enrollments_expire(today=today)} enrollment(s) now due for recertification."

A job takes the day it runs for and returns one summary line; the command prints it after the
date. Jobs run by `order`, then in the order they were registered. Each runs in its own
transaction: a job that fails leaves nothing half-written and does not stop the others, and the
run reports its failure at the end.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

logger = logging.getLogger(__name__)

DailyJobFunction = Callable[[date], str]

#: The order a job gets unless it asks for another.
DEFAULT_ORDER = 50


@dataclass(frozen=True)
class DailyJob:
    """A registered job: its name (in logs and failure reports) and when it runs."""

    name: str
    function: DailyJobFunction
    order: int
    position: int  # registration order, the tie-breaker

    def __call__(self, today: date) -> str:
        return self.function(today)


@dataclass(frozen=True)
class DailyJobFailure:
    """A job that raised: the command names it and exits non-zero once the others have run."""

    name: str
    error: BaseException


class DailyJobRegistry:
    """The jobs of one run. Lentera has one (`registry`); tests build their own."""

    def __init__(self) -> None:
        self._jobs: dict[str, DailyJob] = {}

    def register(
        self, function: DailyJobFunction, *, name: str, order: int = DEFAULT_ORDER
    ) -> DailyJobFunction:
        """Add `function` under `name`. Registering a name again replaces the job (ready()
        may run more than once, e.g. in tests) but keeps its place among equals."""
        previous = self._jobs.get(name)
        position = previous.position if previous else len(self._jobs)
        self._jobs[name] = DailyJob(name=name, function=function, order=order, position=position)
        return function

    def jobs(self) -> list[DailyJob]:
        return sorted(self._jobs.values(), key=lambda job: (job.order, job.position))

    def run(self, *, today: date, write: Callable[[str], None]) -> list[DailyJobFailure]:
        """Run every job for `today`, writing "<today>: <summary>" for each one that succeeds.

        A job that raises is rolled back, logged with its traceback and listed in the result;
        the jobs after it still run."""
        failures = []
        for job in self.jobs():
            try:
                with transaction.atomic():
                    summary = job(today)
            except Exception as error:
                logger.exception("Daily job %s failed", job.name)
                failures.append(DailyJobFailure(name=job.name, error=error))
                continue
            write(f"{today}: {summary}")
        return failures


registry = DailyJobRegistry()


def daily_job(
    *, name: str, order: int = DEFAULT_ORDER
) -> Callable[[DailyJobFunction], DailyJobFunction]:
    """Register the decorated function as a daily job of Lentera's registry."""

    def decorator(function: DailyJobFunction) -> DailyJobFunction:
        return registry.register(function, name=name, order=order)

    return decorator
